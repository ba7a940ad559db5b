"""The three standard courses (U2). Created by a data migration; the HMIS Lead can
edit them in the admin site."""

MODULES = [
    {
        "code": "security-privacy", "title": "Security & Privacy", "position": 1, "recertify_yearly": True,
        "passing_score": 80,
        "body": ("Client information in the HMIS is confidential. Record consent before entering anything; share only "
                 "what the client's consent allows; never email names, dates of birth or Social Security Numbers (use "
                 "the HMIS Client ID); lock your screen when you step away; report a suspected breach at once."),
        "questions": [
            {"q": "What identifies a client in an email?", "choices": ["Their name", "The HMIS Client ID", "Their date of birth"], "answer": 1},
            {"q": "When may you enter a client's information?", "choices": ["After their consent is recorded", "Any time", "After 72 hours"], "answer": 0},
            {"q": "You suspect someone saw client records they should not have. You…", "choices": ["Wait and see", "Report it at once", "Delete the record"], "answer": 1},
            {"q": "You step away from your desk. You…", "choices": ["Leave the screen open", "Lock or sign out", "Ask a client to watch it"], "answer": 1},
            {"q": "A client declines all sharing. You…", "choices": ["Still serve them and follow the CoC's no-sharing policy", "Refuse service", "Enter them anyway"], "answer": 0},
        ],
    },
    {
        "code": "data-standards", "title": "Data Standards", "position": 2, "recertify_yearly": True,
        "passing_score": 80,
        "body": ("HUD's HMIS Data Standards define the Universal Data Elements collected in every project and the "
                 "program-specific elements each funder requires. A client may refuse any question: 'Client doesn't "
                 "know', 'Client prefers not to answer' and 'Data not collected' are valid answers. Enter data within "
                 "72 hours of collecting it."),
        "questions": [
            {"q": "Within how many hours must data be entered?", "choices": ["24", "72", "168"], "answer": 1},
            {"q": "A client does not want to give their SSN. You record…", "choices": ["A made-up number", "Client prefers not to answer", "Nothing and stop the intake"], "answer": 1},
            {"q": "Universal Data Elements are collected…", "choices": ["In every project", "Only in shelters", "Only at exit"], "answer": 0},
            {"q": "An annual assessment is due…", "choices": ["Within 30 days of the head of household's anniversary", "Every month", "Only at exit"], "answer": 0},
            {"q": "Households enter a project…", "choices": ["Together, with one head of household", "One person at a time, unrelated", "Without relationships"], "answer": 0},
        ],
    },
    {
        "code": "software-basics", "title": "Software basics", "position": 3, "recertify_yearly": False,
        "passing_score": 80,
        "body": ("Search before you create: the HMIS shows existing clients you may see, so link them instead of "
                 "making duplicates. Start every intake with consent. Use the enrollment page for updates, annual "
                 "assessments, services and the exit."),
        "questions": [
            {"q": "Before creating a client you…", "choices": ["Search for them", "Create a new record", "Ask another agency by email"], "answer": 0},
            {"q": "An intake starts with…", "choices": ["The client's name", "Consent", "The enrollment"], "answer": 1},
            {"q": "A household's exit is recorded…", "choices": ["On the enrollment page", "By email", "Never"], "answer": 0},
        ],
    },
]


def ensure_standard_modules(TrainingModule) -> None:
    """Create the standard courses that are missing (used by the data migration and
    by seed_demo, so a flushed test database gets them back)."""
    for module in MODULES:
        TrainingModule.objects.get_or_create(code=module["code"], defaults={k: v for k, v in module.items() if k != "code"})
