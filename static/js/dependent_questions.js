// H1: show a follow-up question only when the answer it depends on asks it
// (income sources when "income from any source" is Yes, "when it occurred" when the
// client is a survivor of domestic violence...). Each group names its question and
// answers: data-show-when="income_from_any_source" data-show-values="1". Without this
// script every group shows and the server decides what applies.
(function () {
  "use strict";
  var groups = Array.prototype.slice.call(document.querySelectorAll("[data-show-when]"));
  if (!groups.length) { return; }
  function answerOf(name) {
    var inputs = document.getElementsByName(name);
    for (var i = 0; i < inputs.length; i++) {
      var input = inputs[i];
      if (input.closest("[hidden]")) { return ""; }  // a hidden question is unanswered
      if ((input.type === "radio" || input.type === "checkbox") && !input.checked) { continue; }
      return input.value;
    }
    return "";
  }
  function update() {
    // In document order: a parent group is decided before the follow-ups inside or after it.
    groups.forEach(function (group) {
      // data-show-when may name several questions (R16.A follows R16.1 or R16.2): any one asks it.
      var wanted = group.getAttribute("data-show-values").split(" ");
      var show = group.getAttribute("data-show-when").split(" ").some(function (name) {
        return wanted.indexOf(answerOf(name)) !== -1;
      });
      group.hidden = !show;
    });
  }
  document.addEventListener("change", update);
  update();
})();
