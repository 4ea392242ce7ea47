"""The web console in headless Chromium against a real server: the schema browser lists a table
created over pgwire, the SQL editor runs a query typed with the keyboard and renders its cells,
an error shows its SQLSTATE, the dashboard draws from /metrics; a screenshot is saved."""
import json
import os
import urllib.error
import urllib.request

import pytest

TABLE = "console_people"


@pytest.fixture(scope="module")
def people(server):
    with server.connect() as conn:
        conn.execute(f"CREATE TABLE {TABLE} (id int PRIMARY KEY, name text NOT NULL, "
                     "score numeric(6, 2))")
        conn.execute(f"CREATE INDEX {TABLE}_name ON {TABLE} (name)")
        conn.execute(f"INSERT INTO {TABLE} VALUES (1, 'Ada', 9.5), (2, '<b>Grace</b>', NULL), "
                     "(3, 'Linus', 7.25)")
    return TABLE


def text_of(page, selector):
    return page.evaluate(
        f"Array.from(document.querySelectorAll({json.dumps(selector)}), e => e.textContent)")


def fetch(url, headers=None):
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def test_console_files_are_served_with_types_and_etags(server):
    status, headers, body = fetch(server.url + "/")
    assert status == 200
    assert headers["Content-Type"].startswith("text/html")
    assert body.startswith(b"<!DOCTYPE html>")
    etag = headers["ETag"]
    status, headers, body = fetch(server.url + "/", {"If-None-Match": etag})
    assert status == 304 and body == b""
    status, headers, _ = fetch(server.url + "/console/app.js")
    assert status == 200 and headers["Content-Type"].startswith("text/javascript")
    status, headers, _ = fetch(server.url + "/console/style.css")
    assert status == 200 and headers["Content-Type"].startswith("text/css")
    status, headers, body = fetch(server.url + "/console/nothing.js")
    assert status == 404
    assert headers["Content-Type"] == "application/problem+json"


def test_console_in_chromium(server, people, page, artifact_dir):
    page.navigate(server.url + "/")
    assert page.evaluate("document.title") == "Plexus console"

    # Schema browser: the table created over pgwire, then its columns, index and row count.
    link = f'.table-link[data-schema="public"][data-table="{people}"]'
    page.wait_for(f"document.querySelector({json.dumps(link)}) !== null",
                  what="the table in the tree")
    page.click(link)
    page.wait_for("document.getElementById('table-rows').textContent === '3 rows'",
                  what="the row count")
    page.wait_for("document.querySelectorAll('#table-columns tbody tr').length === 3",
                  what="the columns")
    columns = text_of(page, "#table-columns tbody td:first-child")
    assert columns == ["id", "name", "score"]
    types = text_of(page, "#table-columns tbody td:nth-child(2)")
    assert types[0] == "integer" and types[1] == "text"
    indexes = " ".join(text_of(page, "#table-indexes li"))
    assert f"{people}_name" in indexes and f"{people}_pkey" in indexes

    # An error shows its SQLSTATE (the Run button; the keyboard below).
    page.click("#sql")
    page.type_text("SELECT * FROM no_such_table")
    page.click("#run")
    page.wait_for("!document.getElementById('result-error').hidden", what="the error")
    assert page.evaluate("document.getElementById('error-sqlstate').textContent") == \
        "ERROR 42P01"
    assert "no_such_table" in page.evaluate("document.getElementById('error-detail').textContent")
    assert page.evaluate("document.querySelectorAll('#result tbody tr').length") == 0
    page.evaluate("document.getElementById('sql').value = ''")

    # SQL editor: typed with the keyboard, run with Ctrl+Enter; the error box goes away.
    page.click("#sql")
    page.type_text(f"SELECT id, name, score FROM {people} ORDER BY id")
    page.press("Enter", "Enter", 13, modifiers=2)
    page.wait_for("document.querySelectorAll('#result tbody tr').length === 3",
                  what="the result rows")
    assert text_of(page, "#result thead th")[0].startswith("id")
    cells = page.evaluate("Array.from(document.querySelectorAll('#result tbody tr'),"
                          " r => Array.from(r.cells, c => c.textContent))")
    assert cells == [["1", "Ada", "9.50"], ["2", "<b>Grace</b>", "NULL"],
                     ["3", "Linus", "7.25"]]
    # The markup in the data stayed text: no <b> element was created from it.
    assert page.evaluate("document.querySelectorAll('#result b').length") == 0
    assert page.evaluate("document.querySelector('#result tbody tr:nth-child(2) td:nth-child(3)')"
                         ".classList.contains('null')")
    assert "SELECT 3" in page.evaluate("document.getElementById('result-status').textContent")
    assert page.evaluate("document.getElementById('result-error').hidden")

    # Dashboard: after three scrapes of /metrics the rate and gauge charts have lines.
    page.wait_for("Number(document.body.dataset.metricsScrapes || 0) >= 3", timeout=30,
                  what="three scrapes of /metrics")
    assert page.evaluate("document.getElementById('server-status').textContent") == "connected"
    page.wait_for("document.querySelector('#chart-qps path[data-series=\"pg\"]') !== null",
                  what="the pgwire queries/s line")
    assert page.evaluate("document.querySelector('#chart-connections path[data-series=\"pg\"]')"
                         " !== null")
    # The console's own requests are HTTP traffic.
    assert page.evaluate("document.querySelector('#chart-qps path[data-series=\"http\"]')"
                         " !== null")
    assert page.evaluate("document.querySelector('#chart-cache svg') !== null")

    # The page as a person sees it, kept as an artifact.
    path = os.path.join(artifact_dir, "console.png")
    page.screenshot(path)
    print(f"\nconsole screenshot: {path}")
    assert os.path.getsize(path) > 10_000
    assert page.errors == []


METRICS_TEXT = r'''# HELP x_total Things.
# TYPE x_total counter
x_total{a="q\"uote",b="2"} 10
x_total{a="z"} 5
# TYPE h histogram
h_bucket{le="0.1"} 2
h_bucket{le="0.2"} 6
h_bucket{le="+Inf"} 8
h_sum 1.5
h_count 8
'''


def test_metrics_parsing_in_the_page(server, page):
    """metrics.js (the dashboard's parser) as the page runs it: sums, label filters, rates across
    a counter reset, histogram quantiles interpolated as Prometheus' histogram_quantile."""
    page.navigate(server.url + "/")
    text = json.dumps(METRICS_TEXT)
    result = page.evaluate(f"""(() => {{
      const m = PlexusMetrics;
      const current = m.parse({text});
      const previous = m.parse("x_total{{a=\\"z\\"}} 1\\nx_total{{a=\\"q\\\\\\"uote\\",b=\\"2\\"}} 4\\n");
      const restarted = m.parse("x_total 3\\n");
      const buckets = m.buckets(current, "h");
      return {{
        total: m.total(current, "x_total"),
        quoted: m.total(current, "x_total", {{a: 'q"uote'}}),
        missing: m.total(current, "y_total"),
        rate: m.rate(previous, current, "x_total", {{}}, 2),
        reset: m.rate(current, restarted, "x_total", {{}}, 3),
        p50: m.quantile(0.5, buckets),
        p99: m.quantile(0.99, buckets),
        empty: m.quantile(0.5, []),
        increase: m.bucketIncrease(m.buckets(previous, "h"), buckets).map(b => b.count),
      }};
    }})()""")
    assert result["total"] == 15
    assert result["quoted"] == 10
    assert result["missing"] is None
    assert result["rate"] == 5  # (15 - 5) / 2 s
    assert result["reset"] == 1  # a counter that went down restarted from 0: 3 / 3 s
    assert result["p50"] == pytest.approx(0.15)  # rank 4 of 8, halfway into (0.1, 0.2]
    assert result["p99"] == pytest.approx(0.2)  # in +Inf: the largest finite bound
    assert result["empty"] is None
    assert result["increase"] == [2, 6, 8]
    assert page.errors == []
