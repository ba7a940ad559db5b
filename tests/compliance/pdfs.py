from io import BytesIO

from pypdf import PdfReader


def pdf_text(response) -> str:
    """The text of a PDF response, read back out of the PDF."""
    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(response.content)).pages)
