"""Atom feeds (RFC 4287) of the newest stories, written with ElementTree so every text is escaped."""

from __future__ import annotations

import datetime
from xml.etree import ElementTree as ET

from .story import Story

ATOM = "http://www.w3.org/2005/Atom"
ENTRIES = 50  # readers poll feeds often: the newest 50 are plenty, and the file stays small


def atom(stories: list[Story], *, title: str, subtitle: str, site_url: str, page_url: str, feed_url: str) -> bytes:
    """A feed of ``stories`` (newest first); URLs are relative to ``site_url``."""
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": "nb"})
    _text(feed, "id", site_url + feed_url)
    _text(feed, "title", title)
    _text(feed, "subtitle", subtitle)
    newest = stories[0].date if stories else datetime.date(2015, 1, 1)
    _text(feed, "updated", _timestamp(newest))
    _link(feed, site_url + feed_url, "self", "application/atom+xml")
    _link(feed, site_url + page_url, "alternate", "text/html")
    author = ET.SubElement(feed, f"{{{ATOM}}}author")
    _text(author, "name", "Bærum kommune")
    for story in stories[:ENTRIES]:
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        _text(entry, "id", site_url + story.url)
        _text(entry, "title", story.title)
        _link(entry, site_url + story.url, "alternate", "text/html")
        _text(entry, "published", _timestamp(story.date))
        _text(entry, "updated", _timestamp(story.date))
        for name in story.authors:
            _text(ET.SubElement(entry, f"{{{ATOM}}}author"), "name", name)
        for value in story.values:
            ET.SubElement(entry, f"{{{ATOM}}}category", {
                "term": value.slug, "label": value.name, "scheme": site_url + "verdier/"})
        _text(entry, "summary", story.description)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="utf-8", xml_declaration=False)


def _text(parent: ET.Element, tag: str, text: str) -> None:
    ET.SubElement(parent, f"{{{ATOM}}}{tag}").text = text


def _link(parent: ET.Element, href: str, rel: str, kind: str) -> None:
    ET.SubElement(parent, f"{{{ATOM}}}link", {"href": href, "rel": rel, "type": kind})


def _timestamp(date: datetime.date) -> str:
    return f"{date.isoformat()}T12:00:00+01:00"
