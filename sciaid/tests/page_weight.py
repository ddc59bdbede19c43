"""What makes a page too heavy for a village phone or dependent on another host.

The browser measure (`python -m bench --only pages`) gives what a page costs on a slow link; this is its fast guard,
run on every menu page of every demo login by `test_demo_links`: no address on another host in the HTML (no CDN
script, stylesheet, font or picture: the platform must work where only it is reachable), the HTML itself within a
size bound, and the charting library only on pages that draw charts.
"""

import re

#: A src/href/srcset/action or a CSS url() pointing at another host (absolute or protocol-relative).
EXTERNAL = re.compile(r"""(?:\b(?:src|href|srcset|action)\s*=\s*["']?|url\(\s*["']?)((?:https?:)?//[^"'\s>)]+)""")
#: The HTML of one page, uncompressed: with its static files it must stay within 150 KB compressed on the wire.
MAX_HTML_KB = 120
ECHARTS = "vendor/echarts-"
CHART = re.compile(r"data-(?:bar|line|dashboard)-chart=")


def page_problems(url: str, html: str) -> list[str]:
    """What is wrong with the page at `url` for a phone on a slow link, one line each."""
    problems = [f"{url}: external address {found}" for found in EXTERNAL.findall(html)]
    size_kb = len(html.encode()) / 1024
    if size_kb > MAX_HTML_KB:
        problems.append(f"{url}: {size_kb:.0f} KB of HTML (> {MAX_HTML_KB} KB)")
    if ECHARTS in html and not CHART.search(html):
        problems.append(f"{url}: loads ECharts but draws no chart")
    return problems
