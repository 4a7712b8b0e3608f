"""HTML reports of executed notebooks that open anywhere, offline included, and an index of a run's reports.

nbconvert's HTML loads MathJax, require.js and mermaid from a CDN, so offline a report shows raw ``$...$``.
Here the maths of every Markdown cell is rendered to MathML at export time (browsers display MathML natively,
:mod:`latex2mathml` converts it) and the template loads no script from the network: a report is one file.
"""

from __future__ import annotations

import datetime as _dt
import html as _html
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from shopai_lab.lab.records import METRIC_MIMETYPE, read_metrics

#: nbconvert's lab template without the scripts it fetches from a CDN (MathJax, require.js, mermaid)
OFFLINE_TEMPLATE = """{%- extends 'lab/index.html.j2' -%}
{%- block html_head_js_requirejs -%}{%- endblock html_head_js_requirejs -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
"""

# code spans and fenced blocks are left alone; then $$display$$ and $inline$ maths (not an escaped \\$, not a
# price such as "$5 and $6": an inline formula does not start or end with a space, nor end before a digit)
_CODE = re.compile(r"(```.*?```|`[^`\n]*`)", re.DOTALL)
_DISPLAY = re.compile(r"\$\$(.+?)\$\$", re.DOTALL)
_INLINE = re.compile(r"(?<![\\$])\$(?![\s$])([^$\n]+?)(?<![\s\\])\$(?!\d)")


def latex_to_mathml(latex: str, display: bool = False) -> str:
    """MathML for one LaTeX formula (``display``: a block of its own), on one line.

    A formula latex2mathml cannot read is kept as its LaTeX source in a ``<code>`` span, so a report never
    fails on its maths.

    Examples
    --------
    >>> latex_to_mathml(r"x^2").startswith('<math xmlns="http://www.w3.org/1998/Math/MathML"')
    True
    """
    from latex2mathml.converter import convert

    try:
        mathml = convert(latex.strip(), display="block" if display else "inline")
    except Exception:  # latex2mathml raises its own exception types for unsupported commands
        return f"<code>{_html.escape(latex.strip())}</code>"
    return mathml.replace("\n", "")


def render_maths(markdown: str) -> str:
    """``markdown`` with every ``$...$`` and ``$$...$$`` formula replaced by MathML (code left alone).

    Examples
    --------
    >>> out = render_maths("Rate $\\\\lambda$ costs $5 and `$x$` stays")
    >>> "<math" in out and "$5 and" in out and "`$x$`" in out
    True
    """
    parts = _CODE.split(markdown)
    for i in range(0, len(parts), 2):  # even parts are prose, odd ones code
        text = _DISPLAY.sub(lambda m: latex_to_mathml(m.group(1), display=True), parts[i])
        parts[i] = _INLINE.sub(lambda m: latex_to_mathml(m.group(1)), text)
    return "".join(parts)


def run_with_markdown(run: Mapping[str, Any]) -> str:
    """A short "run with" box: the data file, the parameters that differ from the defaults, version and date.

    ``run`` holds ``parameters`` (name -> value passed to the run), ``version`` and ``date``.
    """
    parameters = dict(run.get("parameters") or {})
    data = parameters.pop("data_path", None)
    lines = [f"**Data:** `{data}`" if data else "**Data:** the bundled data"]
    if parameters:
        shown = ", ".join(f"`{name} = {value!r}`" for name, value in parameters.items())
        lines.append(f"**Parameters changed from the defaults:** {shown}")
    else:
        lines.append("**Parameters:** the notebook's defaults")
    lines.append(f"**ShopAI Lab** {run.get('version', '')}, run on {run.get('date', _dt.date.today().isoformat())}")
    return "> " + "  \n> ".join(lines)


def _report_notebook(nb, code: bool, run: Mapping[str, Any] | None):
    """A copy of ``nb`` prepared for the report: maths rendered, the run box after the title, and, without
    code, no raw dump of recorded metrics."""
    import copy

    import nbformat

    nb = copy.deepcopy(nb)
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            cell.source = render_maths(cell.source)
            continue
        if not code:
            cell.outputs = [o for o in cell.get("outputs", []) if METRIC_MIMETYPE not in o.get("data", {})]
        for output in cell.get("outputs", []):  # sentences shown as Markdown (report.show) may carry maths too
            if "text/markdown" in output.get("data", {}):
                output["data"]["text/markdown"] = render_maths(output["data"]["text/markdown"])
    if run is not None:
        first_markdown = next((i for i, c in enumerate(nb.cells) if c.cell_type == "markdown"), -1)
        nb.cells.insert(first_markdown + 1, nbformat.v4.new_markdown_cell(run_with_markdown(run)))
    return nb


def notebook_title(nb) -> str:
    """The text of the notebook's first Markdown heading (the report's title)."""
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        for line in cell.source.splitlines():
            if line.lstrip().startswith("#"):
                return line.lstrip("# \t").strip()
    return ""


def write_html(notebook: Path, code: bool = True, run: Mapping[str, Any] | None = None) -> Path:
    """Write a self-contained HTML report next to an executed notebook; return its path.

    The report is titled after the notebook's first heading (its file name if it has none); its maths is
    MathML and it loads nothing from the network. ``code=False`` leaves out the code cells, their prompts and
    the raw dump of recorded metrics: a report for business readers. ``run`` (see :func:`run_with_markdown`)
    adds a "run with" box under the title.
    """
    import jinja2
    import nbformat
    from nbconvert import HTMLExporter

    nb = _report_notebook(nbformat.read(str(notebook), as_version=4), code, run)
    title = notebook_title(nb) or Path(notebook).stem
    nb.metadata["title"] = title
    exporter = HTMLExporter(
        extra_loaders=[jinja2.DictLoader({"shopai_offline.html.j2": OFFLINE_TEMPLATE})],
        template_file="shopai_offline.html.j2",
        exclude_input=not code,
        exclude_input_prompt=not code,
        exclude_output_prompt=not code,
    )
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": title}})
    html = Path(notebook).with_suffix(".html")
    html.write_text(body, encoding="utf-8")
    return html


def external_scripts(html: str) -> list[str]:
    """Addresses of the scripts and style sheets a page would fetch from the network (``[]``: self-contained)."""
    tags = re.findall(r"<(?:script|link)\b[^>]*>", html, flags=re.IGNORECASE)
    return [m for tag in tags for m in re.findall(r"(?:src|href)=[\"']((?:https?:)?//[^\"']+)", tag)]


def _metric_text(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.4g}"
    return _html.escape(str(value))


def write_index(folder: Path, n_metrics: int = 6) -> Path:
    """Write ``folder/index.html``: one row per executed numbered notebook in ``folder``, with its title, a link
    to its HTML report (to the notebook itself when it has none) and its first ``n_metrics`` recorded metrics.

    The folder is read, not a list of this run's notebooks, so a run of one notebook keeps the others' rows.
    """
    import nbformat

    rows = []
    for notebook in sorted(Path(folder).glob("[0-9][0-9]*.ipynb")):
        metrics = list(read_metrics(notebook).items())[:n_metrics]
        shown = "<br>".join(f"{_html.escape(name)}: {_metric_text(value)}" for name, value in metrics)
        report = notebook.with_suffix(".html")
        link = report.name if report.is_file() else notebook.name
        title = notebook_title(nbformat.read(str(notebook), as_version=4))
        rows.append(
            f'<tr><td><a href="{_html.escape(link)}">{_html.escape(notebook.stem)}</a></td>'
            f"<td>{_html.escape(title)}</td><td>{shown}</td></tr>"
        )
    page = (
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>ShopAI Lab reports</title>"
        "<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}"
        "td,th{border:1px solid #ccc;padding:.4em .8em;vertical-align:top;text-align:left}</style></head><body>"
        f"<h1>ShopAI Lab reports</h1><p>Written on {_dt.date.today().isoformat()}.</p>"
        "<table><tr><th>notebook</th><th>title</th><th>headline metrics</th></tr>"
        + "".join(rows)
        + "</table></body></html>"
    )
    index = Path(folder) / "index.html"
    index.write_text(page, encoding="utf-8")
    return index
