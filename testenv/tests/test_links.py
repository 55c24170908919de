"""Links a person can open (docs/metrics.md, "Links to the verdict page"): post-taste's summary,
termination message and notification carry a presigned GET URL of the verdict page that a plain
HTTP client, with no credentials, opens from the real S3 store; the signature opens that page
only; TASTER_REPORT_BASE_URL links under a site instead."""
from __future__ import annotations

import re
import urllib.error
import urllib.parse
import urllib.request

from recorder import Recorder

LINK = re.compile(r"https?://\S+X-Amz-Signature=[0-9a-f]{64}")


def fetch(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def test_the_summary_and_the_slack_message_link_a_page_that_opens(app):
    with Recorder("/services/T0/B0/notifyTokenXYZ123") as receiver:
        assert app.run("pre-taste").returncode == 0
        app.orders.delete_one({"n": 2})
        post = app.run("post-taste", env={"TASTER_NOTIFY_URL": receiver.url, "TASTER_NOTIFY_FORMAT": "slack",
                                          "TASTER_LINK_EXPIRY": "1h"})
    assert post.returncode == 1, post
    [link] = set(LINK.findall(post.termination_log))
    assert " — verdict page: " + link in post.termination_log and link in post.stdout
    assert link not in post.stderr, "the link is shown where people look, never in a log line"
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(link).query)
    assert query["X-Amz-Expires"] == ["3600"] and query["X-Amz-SignedHeaders"] == ["host"]
    assert urllib.parse.urlsplit(link).path.endswith("/verdict.html")

    status, body = fetch(link)
    assert status == 200, body[:300]
    assert b"<html" in body.lower() and app.name.encode() in body

    [message] = receiver.received
    assert f"<{link}|Open the verdict page>" in message["body"]["text"]

    # The signature opens that page only: the same query on verdict.json, or a changed expiry, is refused.
    other = link.replace("/verdict.html?", "/verdict.json?")
    assert fetch(other)[0] == 403
    assert fetch(link.replace("X-Amz-Expires=3600", "X-Amz-Expires=7200"))[0] == 403


def test_the_json_notification_carries_the_link_and_a_base_url_replaces_it(app):
    with Recorder("/services/T0/B0/notifyTokenXYZ123") as receiver:
        assert app.run("pre-taste").returncode == 0
        app.orders.delete_one({"n": 2})
        post = app.run("post-taste", env={"TASTER_NOTIFY_URL": receiver.url})
        assert post.returncode == 1, post
        link = receiver.received[0]["body"]["reports"]["link"]
        assert LINK.fullmatch(link) and fetch(link)[0] == 200

        assert app.run("pre-taste").returncode == 0
        app.orders.delete_one({"n": 3})
        post = app.run("post-taste", env={"TASTER_NOTIFY_URL": receiver.url,
                                          "TASTER_REPORT_BASE_URL": "https://reports.example.com/taster/"})
    assert post.returncode == 1, post
    link = receiver.received[1]["body"]["reports"]["link"]
    assert link.startswith(f"https://reports.example.com/taster/{app.prefix}/runs/") and link.endswith("/verdict.html")
    assert "X-Amz-" not in link and f"verdict page: {link}" in post.termination_log
