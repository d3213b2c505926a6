"""``briefing import``: the Word and text files departments send become articles.

``source`` is the neutral model every reader produces (paragraphs with runs, tables,
pictures); ``docx_reader`` and ``textfile`` read DOCX and plain text into it (.doc/.wps/.rtf/
.odt go through LibreOffice first, see ``batch``); ``recognise`` finds title, subtitle,
source, 编者按, author, headings and captions; ``article`` writes the front matter and
Markdown that ``new-article`` writes; ``batch`` imports a list of files into an issue.
"""
