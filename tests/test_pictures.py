"""Story pictures: checking hostile files, web versions with the right pixels and no metadata.

Every picture here is a real file, made with Pillow (or byte by byte where Pillow cannot write
the case) in a temporary folder.
"""

from __future__ import annotations

import hashlib
import io
import os
import random
import re
import struct
import threading
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image, ImageFile, ImageOps, JpegImagePlugin, PngImagePlugin, WebPImagePlugin
from storysite import pictures
from storysite.pictures import PictureError, PictureInfo, Version

RED = (255, 0, 0)
BLUE = (0, 0, 255)
WHITE = (255, 255, 255)
RESIZE_HINT = "Lagre det i mindre størrelse, for eksempel 2400 piksler bredt."
FORMAT_HINT = "Bruk JPEG, PNG eller WebP."
RESAVE_HINT = "Lagre eller eksporter bildet på nytt, og legg inn den nye filen."


# Helpers


def save(folder: Path, name: str, image: Image.Image, kind: str, **params: object) -> Path:
    path = folder / name
    image.save(path, kind, **params)
    return path


def produce(path: Path, cache: Path) -> list[tuple[Version, Image.Image]]:
    """Inspect, plan and make every version of ``path``; return each with its reopened file."""
    info = pictures.inspect(path)
    assert info.digest == digest(path)
    made = pictures.versions(info.digest, "historie", info.width, info.height, cache)
    pictures.make(path, made)
    out = []
    for version in made:
        with Image.open(version.path) as image:
            image.load()
            assert image.format == "JPEG"
            assert image.size == (version.width, version.height)
            out.append((version, image.copy()))
    return out


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def largest(path: Path, cache: Path) -> Image.Image:
    return produce(path, cache)[-1][1]


def near(pixel: tuple[int, ...], expected: tuple[int, ...], tolerance: int) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(pixel, expected, strict=True))


def mean_difference(a: Image.Image, b: Image.Image) -> float:
    a, b = a.convert("RGB"), b.convert("RGB")
    assert a.size == b.size
    pixels = a.width * a.height * 3
    return sum(abs(x - y) for x, y in zip(a.tobytes(), b.tobytes(), strict=True)) / pixels


def halves(mode: str, left: tuple[int, ...] | int, right: tuple[int, ...] | int,
           size: tuple[int, int] = (64, 32)) -> Image.Image:
    """A picture whose left half is ``left`` and right half ``right``."""
    image = Image.new(mode, size, left)
    image.paste(right, (size[0] // 2, 0, size[0], size[1]))
    return image


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def raw_png(width: int, height: int, depth: int, colour: int, rows: Callable[[int], bytes] | None = None) -> bytes:
    """A PNG written byte by byte, for what Pillow cannot write (16-bit colour, huge sizes).
    ``rows(y)`` gives row y's bytes; without it every row is zero. Compressed as a stream, so
    a huge picture costs little memory here."""
    compressor = zlib.compressobj(6)
    parts = []
    row_bytes = (width * depth * {0: 1, 2: 3, 4: 2, 6: 4}[colour] + 7) // 8
    zero_rows = (b"\x00" * (1 + row_bytes)) * 1000
    y = 0
    while y < height:
        if rows is None:
            count = min(1000, height - y)
            parts.append(compressor.compress(zero_rows[: count * (1 + row_bytes)]))
            y += count
        else:
            parts.append(compressor.compress(b"\x00" + rows(y)))
            y += 1
    parts.append(compressor.flush())
    header = struct.pack(">IIBBBBB", width, height, depth, colour, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", header) + png_chunk(b"IDAT", b"".join(parts))
            + png_chunk(b"IEND", b""))


def jpeg_markers(data: bytes) -> list[int]:
    """Every marker in a JPEG file, in order, stepping over segment bodies and compressed data."""
    assert data[:2] == b"\xff\xd8"
    markers, pos = [0xD8], 2
    while pos < len(data):
        assert data[pos] == 0xFF, f"no marker at {pos}"
        marker = data[pos + 1]
        markers.append(marker)
        if marker == 0xD9:
            break
        pos += 2 + struct.unpack_from(">H", data, pos + 2)[0]
        if marker == 0xDA:  # compressed data: 0xFF00 is a stuffed byte, 0xFFD0–D7 a restart marker
            while True:
                pos = data.index(b"\xff", pos)
                if data[pos + 1] == 0 or 0xD0 <= data[pos + 1] <= 0xD7:
                    pos += 2
                    continue
                break
    return markers


def linear_rgb_profile() -> bytes:
    """A minimal ICC v2 display profile with sRGB's primaries but a linear tone curve (gamma 1.0):
    stored mid-grey 128 is linear light 0.5, which sRGB writes as 188."""
    def s15(value: float) -> bytes:
        return struct.pack(">i", round(value * 65536))

    def xyz(x: float, y: float, z: float) -> bytes:
        return b"XYZ " + bytes(4) + s15(x) + s15(y) + s15(z)

    text = b"Linear RGB\x00"
    desc = b"desc" + bytes(4) + struct.pack(">I", len(text)) + text + bytes(8 + 3 + 67)
    curve = b"curv" + bytes(4) + struct.pack(">IH", 1, 0x0100) + bytes(2)
    tags = [(b"desc", desc), (b"wtpt", xyz(0.9642, 1.0, 0.8249)), (b"rXYZ", xyz(0.4361, 0.2225, 0.0139)),
            (b"gXYZ", xyz(0.3851, 0.7169, 0.0971)), (b"bXYZ", xyz(0.1431, 0.0606, 0.7141)),
            (b"rTRC", curve), (b"gTRC", curve), (b"bTRC", curve)]
    offset = 128 + 4 + 12 * len(tags)
    table = body = b""
    for signature, data in tags:
        data += bytes(-len(data) % 4)
        table += signature + struct.pack(">II", offset + len(body), len(data))
        body += data
    header = (struct.pack(">I", offset + len(body)) + bytes(4) + struct.pack(">I", 0x02100000) + b"mntrRGB XYZ "
              + bytes(12) + b"acsp" + bytes(28) + s15(0.9642) + s15(1.0) + s15(0.8249) + bytes(48))
    assert len(header) == 128
    return header + struct.pack(">I", len(tags)) + table + body


def refused(path: Path) -> PictureError:
    with pytest.raises(PictureError) as caught:
        pictures.inspect(path)
    return caught.value


# Every format and mode keeps its colours


COLOUR_CASES = {
    "jpeg-rgb": (lambda: Image.new("RGB", (64, 48), RED), "JPEG", {"quality": 95}, RED),
    "jpeg-progressive": (lambda: Image.new("RGB", (64, 48), RED), "JPEG", {"progressive": True}, RED),
    "jpeg-grey": (lambda: Image.new("L", (64, 48), 128), "JPEG", {}, (128, 128, 128)),
    "jpeg-cmyk-adobe": (lambda: Image.new("CMYK", (64, 48), (0, 255, 255, 0)), "JPEG", {}, RED),
    "png-rgb": (lambda: Image.new("RGB", (64, 48), RED), "PNG", {}, RED),
    "png-grey": (lambda: Image.new("L", (64, 48), 128), "PNG", {}, (128, 128, 128)),
    "png-palette": (lambda: Image.new("RGB", (64, 48), RED).convert("P"), "PNG", {}, RED),
    "png-1-bit": (lambda: Image.new("1", (64, 48), 1), "PNG", {}, WHITE),
    "webp-lossy": (lambda: Image.new("RGB", (64, 48), RED), "WEBP", {"quality": 90}, RED),
    "webp-lossless": (lambda: Image.new("RGB", (64, 48), RED), "WEBP", {"lossless": True}, RED),
}


@pytest.mark.parametrize("case", COLOUR_CASES)
def test_every_format_and_mode_keeps_its_colour(tmp_path: Path, case: str) -> None:
    build, kind, params, expected = COLOUR_CASES[case]
    path = save(tmp_path, "bilde.bin", build(), kind, **params)
    if case == "jpeg-cmyk-adobe":
        assert b"Adobe" in path.read_bytes()  # Photoshop's inverted CMYK, as Pillow writes it
    for _version, image in produce(path, tmp_path / "cache"):
        assert image.mode == "RGB"
        assert near(image.getpixel((32, 24)), expected, 8), image.getpixel((32, 24))


TRANSPARENT_CASES = {
    # left half opaque, right half fully transparent (black underneath, where there is a colour)
    "png-rgba": (lambda: halves("RGBA", (255, 0, 0, 255), (0, 0, 0, 0)), "PNG", {}, RED),
    "png-grey-alpha": (lambda: halves("LA", (60, 255), (0, 0)), "PNG", {}, (60, 60, 60)),
    "png-palette-transparency": (
        lambda: halves("P", 1, 0), "PNG", {"transparency": 0}, RED),
    "png-rgb-colour-key": (lambda: halves("RGB", RED, (0, 0, 0)), "PNG", {"transparency": (0, 0, 0)}, RED),
    "webp-lossless-alpha": (lambda: halves("RGBA", (255, 0, 0, 255), (0, 0, 0, 0)), "WEBP", {"lossless": True}, RED),
    "webp-lossy-alpha": (lambda: halves("RGBA", (255, 0, 0, 255), (0, 0, 0, 0)), "WEBP", {"quality": 90}, RED),
}


@pytest.mark.parametrize("case", TRANSPARENT_CASES)
def test_transparent_parts_become_white_not_black(tmp_path: Path, case: str) -> None:
    build, kind, params, opaque = TRANSPARENT_CASES[case]
    image = build()
    if image.mode == "P":
        image.putpalette([0, 0, 0, 255, 0, 0])
    path = save(tmp_path, "bilde.bin", image, kind, **params)
    with Image.open(path) as original:  # the file really has transparency
        assert "A" in original.mode or "transparency" in original.info
    out = largest(path, tmp_path / "cache")
    assert near(out.getpixel((8, 16)), opaque, 10), out.getpixel((8, 16))
    assert near(out.getpixel((56, 16)), WHITE, 6), out.getpixel((56, 16))


def test_half_transparent_black_is_laid_on_white(tmp_path: Path) -> None:
    path = save(tmp_path, "bilde.png", Image.new("RGBA", (64, 32), (0, 0, 0, 128)), "PNG")
    assert near(largest(path, tmp_path / "cache").getpixel((32, 16)), (127, 127, 127), 3)


def test_16_bit_grey_png_keeps_its_greys_instead_of_clipping_to_white(tmp_path: Path) -> None:
    gradient = Image.new("I;16", (256, 16))
    gradient.putdata([x * 257 for _ in range(16) for x in range(256)])
    path = save(tmp_path, "bilde.png", gradient, "PNG")
    with Image.open(path) as original:
        assert original.mode == "I;16"
    out = largest(path, tmp_path / "cache")
    for x in (10, 128, 245):
        assert near(out.getpixel((x, 8)), (x, x, x), 6), (x, out.getpixel((x, 8)))


def test_16_bit_colour_png_keeps_mid_grey_and_red(tmp_path: Path) -> None:
    grey, red = struct.pack(">HHH", 0x8000, 0x8000, 0x8000), struct.pack(">HHH", 0xFFFF, 0, 0)
    path = tmp_path / "bilde.png"
    path.write_bytes(raw_png(64, 32, 16, 2, lambda y: grey * 32 + red * 32))
    out = largest(path, tmp_path / "cache")
    assert near(out.getpixel((8, 16)), (128, 128, 128), 4)
    assert near(out.getpixel((56, 16)), RED, 8)


def test_16_bit_grey_alpha_png_keeps_grey_and_goes_white_where_transparent(tmp_path: Path) -> None:
    opaque, clear = struct.pack(">HH", 0x8000, 0xFFFF), struct.pack(">HH", 0, 0)
    path = tmp_path / "bilde.png"
    path.write_bytes(raw_png(64, 32, 16, 4, lambda y: opaque * 32 + clear * 32))
    out = largest(path, tmp_path / "cache")
    assert near(out.getpixel((8, 16)), (128, 128, 128), 4)
    assert near(out.getpixel((56, 16)), WHITE, 4)


def test_32_bit_grey_mode_I_is_scaled_like_16_bit_not_clipped() -> None:
    # Pillow 13 opens 16-bit grey PNGs as I;16; older versions gave I, which must not clip either.
    flat = pictures._flatten(Image.new("I", (4, 4), 0x8000))
    assert flat.mode == "L"
    assert flat.getpixel((0, 0)) == 128


# Orientation

CORNERS = {"top-left": (10, 10), "top-right": (-11, 10), "bottom-right": (-11, -11), "bottom-left": (10, -11)}
ORIENTATIONS = {  # EXIF orientation → where the file's top-left corner is shown
    1: "top-left", 2: "top-right", 3: "bottom-right", 4: "bottom-left",
    5: "top-left", 6: "top-right", 7: "bottom-right", 8: "bottom-left",
}


def marked(width: int = 400, height: int = 200) -> Image.Image:
    """Blue, with a red square in the file's top-left corner."""
    image = Image.new("RGB", (width, height), BLUE)
    image.paste(RED, (0, 0, 40, 40))
    return image


def exif_with(orientation: int) -> bytes:
    exif = Image.Exif()
    exif[0x0112] = orientation
    return exif.tobytes()


@pytest.mark.parametrize("orientation", ORIENTATIONS)
def test_exif_orientation_turns_the_picture_upright(tmp_path: Path, orientation: int) -> None:
    path = save(tmp_path, "bilde.jpg", marked(), "JPEG", quality=95, exif=exif_with(orientation))
    sideways = orientation >= 5
    assert pictures.inspect(path) == PictureInfo(200 if sideways else 400, 400 if sideways else 200, "JPEG", digest(path))
    out = largest(path, tmp_path / "cache")
    for corner, (x, y) in CORNERS.items():
        x, y = x % out.width, y % out.height
        expected = RED if corner == ORIENTATIONS[orientation] else BLUE
        assert near(out.getpixel((x, y)), expected, 30), (corner, out.getpixel((x, y)))
    with Image.open(path) as original:  # and the same as Pillow's own exif_transpose
        assert mean_difference(out, ImageOps.exif_transpose(original)) < 2


@pytest.mark.parametrize(("kind", "params"), [("PNG", {}), ("WEBP", {"lossless": True})])
def test_exif_orientation_in_png_and_webp_is_applied_too(tmp_path: Path, kind: str, params: dict) -> None:
    path = save(tmp_path, "bilde.bin", marked(), kind, exif=exif_with(6), **params)
    assert pictures.inspect(path) == PictureInfo(200, 400, kind, digest(path))
    out = largest(path, tmp_path / "cache")
    assert out.size == (200, 400)
    assert near(out.getpixel((189, 10)), RED, 10)
    assert near(out.getpixel((10, 10)), BLUE, 10)


# Metadata


@pytest.mark.parametrize("with_icc", [True, False], ids=["with-icc", "without-icc"])
def test_jpeg_versions_carry_no_exif_gps_icc_xmp_or_comment(tmp_path: Path, with_icc: bool) -> None:
    exif = Image.Exif()
    exif[0x010E] = "PLANTED-DESCRIPTION"
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2], gps[3], gps[4] = "N", (59.0, 53.0, 30.0), "E", (10.0, 31.0, 12.0)
    gps[0x001B] = "PLANTED-GPS-PROCESSING"
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/">PLANTED-XMP</x:xmpmeta>'
    path = save(tmp_path, "bilde.jpg", Image.new("RGB", (1600, 1000), RED), "JPEG", exif=exif.tobytes(),
                comment=b"PLANTED-COMMENT", icc_profile=linear_rgb_profile() if with_icc else None, xmp=xmp)
    source = path.read_bytes()
    for planted in (b"Exif\x00\x00", b"PLANTED-DESCRIPTION", b"PLANTED-GPS", b"PLANTED-COMMENT", b"PLANTED-XMP",
                    *([b"Linear RGB"] if with_icc else [])):
        assert planted in source  # the test is not vacuous
    with Image.open(path) as original:
        assert original.getexif().get_ifd(0x8825)[2] == (59.0, 53.0, 30.0)
    assert_no_metadata(produce(path, tmp_path / "cache"))


def test_png_and_webp_versions_carry_no_metadata(tmp_path: Path) -> None:
    text = PngImagePlugin.PngInfo()
    text.add_text("Comment", "PLANTED-PNG-TEXT")
    text.add_itxt("XML:com.adobe.xmp", "PLANTED-XMP")
    exif = Image.Exif()
    exif[0x010E] = "PLANTED-DESCRIPTION"
    image = Image.new("RGB", (800, 500), RED)
    png = save(tmp_path, "bilde.png", image, "PNG", pnginfo=text, exif=exif.tobytes(), icc_profile=linear_rgb_profile())
    webp = save(tmp_path, "bilde.webp", image, "WEBP", exif=exif.tobytes(), icc_profile=linear_rgb_profile(),
                xmp=b"PLANTED-XMP")
    for path in (png, webp):
        assert b"PLANTED-DESCRIPTION" in path.read_bytes()
        assert_no_metadata(produce(path, tmp_path / "cache"))


def assert_no_metadata(made: list[tuple[Version, Image.Image]]) -> None:
    reference = io.BytesIO()
    Image.new("RGB", (8, 8)).save(reference, "JPEG", quality=pictures.QUALITY)
    with Image.open(reference) as quality_78:
        tables = quality_78.quantization
    for version, image in made:
        data = version.path.read_bytes()
        assert not set(image.info) & {"exif", "icc_profile", "comment", "xmp", "photoshop", "adobe", "dpi"}
        assert len(image.getexif()) == 0
        for planted in (b"Exif\x00\x00", b"ICC_PROFILE", b"http://ns.adobe.com/xap", b"PLANTED", b"Linear RGB"):
            assert planted not in data
        markers = jpeg_markers(data)
        # SOI, JFIF, tables, one baseline frame, its scan, EOI: no APP1 (EXIF, XMP), APP2 (ICC),
        # APP13 (Photoshop), APP14 (Adobe) or COM (comment).
        assert set(markers) <= {0xD8, 0xE0, 0xDB, 0xC4, 0xC0, 0xDA, 0xD9}, [hex(m) for m in markers]
        assert markers.count(0xC0) == 1 and markers.count(0xDA) == 1
        with Image.open(version.path) as reopened:
            assert reopened.quantization == tables  # quality 78


def test_icc_profile_is_converted_to_srgb(tmp_path: Path) -> None:
    grey = Image.new("RGB", (64, 32), (128, 128, 128))
    plain = save(tmp_path, "plain.png", grey, "PNG")
    linear = save(tmp_path, "linear.png", grey, "PNG", icc_profile=linear_rgb_profile())
    assert near(largest(plain, tmp_path / "cache").getpixel((32, 16)), (128, 128, 128), 2)
    assert near(largest(linear, tmp_path / "cache").getpixel((32, 16)), (188, 188, 188), 3)


@pytest.mark.parametrize(("mode", "profile"), [
    ("RGB", b"not a colour profile at all" * 10),
    ("RGB", linear_rgb_profile()[:200]),
    ("L", linear_rgb_profile()),  # a colour profile on a grey picture
])
def test_unusable_icc_profile_falls_back_to_plain_colours(tmp_path: Path, mode: str, profile: bytes) -> None:
    path = save(tmp_path, "bilde.png", Image.new(mode, (64, 32), 128 if mode == "L" else (128, 128, 128)), "PNG",
                icc_profile=profile)
    assert near(largest(path, tmp_path / "cache").getpixel((32, 16)), (128, 128, 128), 2)


# Decoding at the size needed


def smooth(width: int, height: int) -> Image.Image:
    """A smooth colour picture, so that resizing differences show only as rounding."""
    red = Image.linear_gradient("L").resize((width, height))
    green = red.transpose(Image.Transpose.ROTATE_180)
    blue = Image.linear_gradient("L").rotate(90).resize((width, height))
    return Image.merge("RGB", (red, green, blue))


def make_watching_jpeg_decodes(path: Path, cache: Path, monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, int]]:
    """Make every version of ``path``; return the size of every JPEG decode ``make`` ran (the size
    of the core image Pillow filled, not what the code asked for)."""
    info = pictures.inspect(path)
    made = pictures.versions(digest(path), "historie", info.width, info.height, cache)
    decoded: list[tuple[int, int]] = []
    load = JpegImagePlugin.JpegImageFile.load

    def recording(self: JpegImagePlugin.JpegImageFile) -> object:
        decoding = bool(self.tile)  # load() is called again and again; only the first one decodes
        result = load(self)
        if decoding:
            decoded.append(self.im.size)
        return result

    with monkeypatch.context() as patch:
        patch.setattr(JpegImagePlugin.JpegImageFile, "load", recording)
        pictures.make(path, made)
    return decoded


def test_large_jpeg_is_decoded_at_half_size_never_in_full(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    original = smooth(2400, 1600)
    path = save(tmp_path, "bilde.jpg", original, "JPEG", quality=92)
    assert make_watching_jpeg_decodes(path, tmp_path / "cache", monkeypatch) == [(1200, 800)]  # one, for both
    made = produce(path, tmp_path / "cache")
    assert [image.size for _, image in made] == [(600, 400), (1200, 800)]
    for _, image in made:  # and no worse for it than a full decode and resize
        assert mean_difference(image, original.resize(image.size, Image.Resampling.LANCZOS)) < 3


def test_sideways_jpeg_is_decoded_at_the_scale_its_turned_size_needs(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Stored 4800 × 3200, shown 3200 × 4800: the 1200-wide version needs 1800 stored rows of 3200 → half scale.
    path = save(tmp_path, "bilde.jpg", smooth(4800, 3200), "JPEG", exif=exif_with(6))
    assert make_watching_jpeg_decodes(path, tmp_path / "cache", monkeypatch) == [(2400, 1600)]
    made = produce(path, tmp_path / "cache")
    assert [image.size for _, image in made] == [(600, 900), (1200, 1800)]


@pytest.mark.parametrize("mode", ["RGB", "RGBA", "P", "I;16"])
def test_shrinking_in_bands_equals_shrinking_the_whole_picture(monkeypatch: pytest.MonkeyPatch, mode: str) -> None:
    noise = Image.effect_noise((1001, 777), 80)
    image = {
        "RGB": Image.merge("RGB", (noise, noise.rotate(90), noise.rotate(180))),
        "RGBA": Image.merge("RGBA", (noise, noise.rotate(90), noise.rotate(180), noise.rotate(270))),
        "P": noise.convert("P"),
        "I;16": noise.point(lambda v: v * 257, "I").convert("I;16"),
    }[mode]
    whole = pictures._flatten(image).reduce(3)
    monkeypatch.setattr(pictures, "_BAND_PIXELS", 5000)  # about 5 rows a band: 150 bands
    assert pictures._shrink(image, 3).tobytes() == whole.tobytes()


def test_large_png_versions_match_a_plain_resize(tmp_path: Path) -> None:
    original = smooth(3000, 2000)
    path = save(tmp_path, "bilde.png", original, "PNG", compress_level=1)
    for _, image in produce(path, tmp_path / "cache"):
        assert mean_difference(image, original.resize(image.size, Image.Resampling.LANCZOS)) < 2


# Names, sizes and the cache

NAME_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*-[0-9a-f]{8}-[0-9]+\.jpg")


@pytest.mark.parametrize("name", ["PXL_20250601_143210123.jpg", "IMG_20240101_235959.jpg", "Kari Nordmann.png",
                                  "../../etc/passwd", "日本.jpg", ""])
def test_version_names_are_the_story_address_and_a_digest_never_the_file_name(tmp_path: Path, name: str) -> None:
    """A phone names a photo by the moment it was taken: none of that may reach the site."""
    path = save(tmp_path, "bilde.jpg", Image.new("RGB", (1300, 100), RED), "JPEG")
    info = pictures.inspect(path)
    made = pictures.versions(info.digest, "tur-til-kolsas", 1300, 100, tmp_path / "cache")
    sha = digest(path)
    assert [v.name for v in made] == [f"tur-til-kolsas-{sha[:8]}-600.jpg", f"tur-til-kolsas-{sha[:8]}-1200.jpg"]
    for version in made:
        assert NAME_RE.fullmatch(version.name)
        assert version.path == tmp_path / "cache" / f"{sha[:20]}-{version.width}-{pictures.RECIPE}.jpg"


def test_a_long_address_is_cut_to_60_characters_in_version_names(tmp_path: Path) -> None:
    made = pictures.versions("ab" * 32, "a" * 59 + "-bcd", 700, 100, tmp_path)
    assert [v.name for v in made] == ["a" * 59 + "-abababab-600.jpg", "a" * 59 + "-abababab-700.jpg"]


@pytest.mark.parametrize("wrong", ["", "bilde.jpg", "AB" * 32, "ab" * 31, "ab" * 33])
def test_versions_are_named_by_a_sha256_digest_only(tmp_path: Path, wrong: str) -> None:
    with pytest.raises(ValueError, match="SHA-256"):
        pictures.versions(wrong, "historie", 700, 100, tmp_path)


def test_version_names_follow_the_bytes_not_the_folder(tmp_path: Path) -> None:
    first = save(tmp_path, "bilde.jpg", Image.new("RGB", (700, 100), RED), "JPEG")
    again = tmp_path / "kopi" / "bilde.jpg"
    again.parent.mkdir()
    again.write_bytes(first.read_bytes())
    (tmp_path / "bilde-600.jpg").write_bytes(b"an older file with the name the old scheme gave")
    changed = save(tmp_path / "kopi", "annet.jpg", Image.new("RGB", (700, 100), BLUE), "JPEG")
    names = [v.name for v in pictures.versions(digest(first), "historie", 700, 100, tmp_path)]
    assert names == [v.name for v in pictures.versions(digest(again), "historie", 700, 100, tmp_path)]
    assert "bilde-600.jpg" not in names
    assert set(names).isdisjoint(v.name for v in pictures.versions(digest(changed), "historie", 700, 100, tmp_path))


@pytest.mark.parametrize(("size", "expected"), [
    ((2400, 1600), [(600, 400), (1200, 800)]),
    ((1000, 750), [(600, 450), (1000, 750)]),
    ((1200, 1200), [(600, 600), (1200, 1200)]),
    ((600, 400), [(600, 400)]),
    ((500, 5000), [(500, 5000)]),
    ((1, 1), [(1, 1)]),
    ((40000, 3), [(600, 1), (1200, 1)]),
])
def test_version_sizes_never_upscale(tmp_path: Path, size: tuple[int, int], expected: list[tuple[int, int]]) -> None:
    made = pictures.versions("0" * 64, "historie", *size, tmp_path)
    assert [(v.width, v.height) for v in made] == expected


def test_missing_lists_only_versions_not_in_the_cache(tmp_path: Path) -> None:
    path = save(tmp_path, "bilde.jpg", Image.new("RGB", (1300, 900), RED), "JPEG")
    made = pictures.versions(digest(path), "historie", 1300, 900, tmp_path / "cache")
    assert pictures.missing(made) == made
    pictures.make(path, pictures.missing(made))
    assert pictures.missing(made) == []
    made[0].path.unlink()
    assert pictures.missing(made) == [made[0]]


def test_make_writes_only_finished_files(tmp_path: Path) -> None:
    path = save(tmp_path, "bilde.jpg", Image.new("RGB", (1300, 900), RED), "JPEG")
    made = pictures.versions(digest(path), "historie", 1300, 900, tmp_path / "cache")
    pictures.make(path, made)
    assert sorted(p.name for p in (tmp_path / "cache").iterdir()) == sorted(v.path.name for v in made)


def test_make_refuses_a_picture_changed_after_its_versions_were_named(tmp_path: Path) -> None:
    path = save(tmp_path, "bilde.jpg", Image.new("RGB", (700, 100), RED), "JPEG")
    made = pictures.versions(digest(path), "historie", 700, 100, tmp_path / "cache")
    save(tmp_path, "bilde.jpg", Image.new("RGB", (700, 100), BLUE), "JPEG")
    with pytest.raises(PictureError, match=r"^bildet ble endret mens nettstedet ble bygget\.$"):
        pictures.make(path, made)
    assert pictures.missing(made) == made


def test_make_reports_damage_found_only_when_decoding_as_picture_error(tmp_path: Path) -> None:
    # Valid chunks and checksums around a broken compressed stream: only decoding can tell.
    good = raw_png(64, 32, 8, 2, lambda y: b"\x80" * 192)
    start = good.index(b"IDAT") + 4
    length = struct.unpack_from(">I", good, start - 8)[0]
    broken = b"\x78\x9c" + b"\xff" * (length - 2)
    path = tmp_path / "bilde.png"
    path.write_bytes(good[: start - 8] + png_chunk(b"IDAT", broken) + good[start + length + 4:])
    info = pictures.inspect(path)
    made = pictures.versions(digest(path), "historie", info.width, info.height, tmp_path / "cache")
    with pytest.raises(PictureError) as caught:
        pictures.make(path, made)
    assert (caught.value.message, caught.value.suggestion) == ("bildet er skadet og kan ikke leses.", RESAVE_HINT)
    assert not list((tmp_path / "cache").glob("*"))


# Refusing what is not a usable picture


def test_inspect_reads_ordinary_png_jpeg_and_webp(tmp_path: Path) -> None:
    # Every ordinary PNG used to fail: getexif() decoded it, and verify() then refused to run.
    image = Image.new("RGB", (640, 480), RED)
    for kind in ("PNG", "JPEG", "WEBP"):
        path = save(tmp_path, f"bilde.{kind}", image, kind)
        assert pictures.inspect(path) == PictureInfo(640, 480, kind, digest(path))


def test_multi_picture_jpeg_from_a_phone_is_read_as_its_first_picture(tmp_path: Path) -> None:
    path = tmp_path / "bilde.jpg"
    Image.new("RGB", (640, 480), RED).save(path, "MPO", save_all=True, append_images=[Image.new("RGB", (64, 48))])
    with Image.open(path) as opened:
        assert opened.format == "MPO"  # what Image.open would have refused as another format
    assert pictures.inspect(path) == PictureInfo(640, 480, "JPEG", digest(path))
    assert near(largest(path, tmp_path / "cache").getpixel((320, 240)), RED, 8)


def test_inspect_decodes_no_pixels(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    paths = [save(tmp_path, f"bilde.{kind}", smooth(2400, 1600), kind) for kind in ("PNG", "JPEG", "WEBP")]

    def forbidden(self: Image.Image) -> None:
        raise AssertionError("inspect decoded the pixels")

    for cls in (Image.Image, ImageFile.ImageFile, WebPImagePlugin.WebPImageFile):
        monkeypatch.setattr(cls, "load", forbidden)
    for path in paths:
        assert pictures.inspect(path).width == 2400


def test_decompression_bomb_is_refused_with_its_size(tmp_path: Path) -> None:
    path = tmp_path / "bilde.png"
    path.write_bytes(raw_png(30000, 30000, 1, 0))
    assert path.stat().st_size < 150_000
    with pytest.raises(Image.DecompressionBombError):
        Image.open(path)  # what Pillow itself makes of it
    error = refused(path)
    assert error.message == "bildet er 30000 × 30000 piksler (900 megapiksler); grensen er 50 megapiksler."
    assert error.suggestion == RESIZE_HINT


def test_huge_picture_under_pillows_own_limit_is_refused_before_decoding(tmp_path: Path) -> None:
    path = tmp_path / "bilde.png"
    path.write_bytes(raw_png(16000, 11000, 1, 0))
    with pytest.warns(Image.DecompressionBombWarning):
        Image.open(path).close()  # Pillow only warns
    error = refused(path)
    assert error.message == "bildet er 16000 × 11000 piksler (176 megapiksler); grensen er 50 megapiksler."
    assert error.suggestion == RESIZE_HINT


def test_pixel_limit_is_inclusive_and_over_it_reads_as_over(tmp_path: Path) -> None:
    at = tmp_path / "at.png"
    at.write_bytes(raw_png(10000, 5000, 1, 0))
    assert pictures.inspect(at) == PictureInfo(10000, 5000, "PNG", digest(at))
    over = tmp_path / "over.png"
    over.write_bytes(raw_png(10000, 5001, 1, 0))
    assert refused(over).message == "bildet er 10000 × 5001 piksler (50,1 megapiksler); grensen er 50 megapiksler."


def test_jpeg_and_webp_headers_claiming_too_many_pixels_are_refused(tmp_path: Path) -> None:
    jpeg = bytearray(save(tmp_path, "bilde.jpg", Image.new("RGB", (16, 16), RED), "JPEG").read_bytes())
    sof = jpeg.index(b"\xff\xc0")
    jpeg[sof + 5: sof + 9] = struct.pack(">HH", 20000, 20000)  # height, width
    (tmp_path / "bilde.jpg").write_bytes(jpeg)
    assert refused(tmp_path / "bilde.jpg").message == (
        "bildet er 20000 × 20000 piksler (400 megapiksler); grensen er 50 megapiksler.")
    # A WebP canvas of 16383 × 16383: refused before Pillow's decoder allocates it.
    vp8x = b"VP8X" + struct.pack("<I", 10) + bytes(4) + (16382).to_bytes(3, "little") * 2
    webp = tmp_path / "bilde.webp"
    webp.write_bytes(b"RIFF" + struct.pack("<I", 4 + len(vp8x)) + b"WEBP" + vp8x)
    assert refused(webp).message == "bildet er 16383 × 16383 piksler (269 megapiksler); grensen er 50 megapiksler."


@pytest.mark.parametrize("kind", ["GIF", "BMP", "TIFF"])
def test_other_formats_are_refused_by_their_content_not_their_name(tmp_path: Path, kind: str) -> None:
    path = save(tmp_path, "bilde.jpg", Image.new("RGB", (16, 16), RED), kind)
    error = refused(path)
    assert (error.message, error.suggestion) == (f"bildeformatet {kind} støttes ikke.", FORMAT_HINT)


@pytest.mark.parametrize(("content", "kind"), [
    (b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "SVG"),
    (b"\xef\xbb\xbf  <svg width='10' height='10'/>", "SVG"),
    (b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + bytes(64), "HEIC"),
    (b"\x00\x00\x00\x1cftypavif\x00\x00\x00\x00avifmif1" + bytes(64), "AVIF"),
    (b"%PDF-1.7\n" + bytes(64), "PDF"),
])
def test_svg_heic_avif_and_pdf_are_named_when_refused(tmp_path: Path, content: bytes, kind: str) -> None:
    path = tmp_path / "bilde.jpg"
    path.write_bytes(content)
    assert refused(path).message == f"bildeformatet {kind} støttes ikke."


def test_garbage_is_not_a_picture(tmp_path: Path) -> None:
    path = tmp_path / "bilde.jpg"
    path.write_bytes(b"\x00" + random.Random(0).randbytes(2000))
    error = refused(path)
    assert (error.message, error.suggestion) == ("filen er ikke et bilde som kan leses.",
                                                 "Bruk et JPEG-, PNG- eller WebP-bilde.")


def test_empty_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "bilde.jpg").touch()
    assert refused(tmp_path / "bilde.jpg").message == "bildefilen er tom."


def test_file_over_15_mb_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "bilde.jpg"
    with open(path, "wb") as file:
        file.truncate(16 * 1024 * 1024)  # sparse: nothing to read anyway
    error = refused(path)
    assert (error.message, error.suggestion) == ("bildet er 16 MB; grensen er 15 MB.", RESIZE_HINT)


def test_missing_file_is_refused(tmp_path: Path) -> None:
    assert refused(tmp_path / "finnes-ikke.jpg").message == "finner ikke bildefilen."


def test_directory_is_not_a_picture(tmp_path: Path) -> None:
    (tmp_path / "bilde.jpg").mkdir()
    assert refused(tmp_path / "bilde.jpg").message == "bildet er ikke en vanlig fil."


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_named_pipe_is_refused_without_being_opened(tmp_path: Path) -> None:
    path = tmp_path / "bilde.jpg"
    os.mkfifo(path)
    errors: list[PictureError] = []
    worker = threading.Thread(target=lambda: errors.append(refused(path)), daemon=True)
    worker.start()
    worker.join(timeout=5)  # opening a pipe with no writer would block for ever
    assert not worker.is_alive()
    assert errors[0].message == "bildet er ikke en vanlig fil."


def test_symbolic_link_is_refused(tmp_path: Path) -> None:
    target = save(tmp_path, "ekte.jpg", Image.new("RGB", (16, 16), RED), "JPEG")
    (tmp_path / "bilde.jpg").symlink_to(target)
    assert refused(tmp_path / "bilde.jpg").message == "bildet er en snarvei (symbolsk lenke), ikke en fil."


@pytest.mark.parametrize(("kind", "message"), [
    ("JPEG", "bildet er ufullstendig: filen slutter før bildet er ferdig."),
    ("PNG", "bildet er skadet og kan ikke leses."),
    ("WEBP", "bildet er skadet og kan ikke leses."),
])
def test_truncated_pictures_are_refused(tmp_path: Path, kind: str, message: str) -> None:
    data = save(tmp_path, "bilde.bin", Image.effect_noise((300, 200), 50).convert("RGB"), kind).read_bytes()
    path = tmp_path / "bilde.jpg"
    path.write_bytes(data[: len(data) * 2 // 3])
    error = refused(path)
    assert (error.message, error.suggestion) == (message, RESAVE_HINT)


def test_png_with_a_broken_checksum_is_refused(tmp_path: Path) -> None:
    data = bytearray(save(tmp_path, "bilde.png", Image.effect_noise((300, 200), 50), "PNG").read_bytes())
    data[data.index(b"IDAT") + 100] ^= 0x01
    (tmp_path / "bilde.png").write_bytes(data)
    assert refused(tmp_path / "bilde.png").message == "bildet er skadet og kan ikke leses."


def test_jpeg_with_too_many_scans_is_refused(tmp_path: Path) -> None:
    progressive = save(tmp_path, "ok.jpg", smooth(300, 200), "JPEG", progressive=True)
    assert 5 < jpeg_markers(progressive.read_bytes()).count(0xDA) < pictures.MAX_SCANS
    assert pictures.inspect(progressive).format == "JPEG"
    # The count is of scan markers anywhere in the file, an upper bound on the real scans.
    data = progressive.read_bytes()
    comment = b"\xff\xda" * (pictures.MAX_SCANS + 1)
    bloated = data[:2] + b"\xff\xfe" + struct.pack(">H", 2 + len(comment)) + comment + data[2:]
    (tmp_path / "bilde.jpg").write_bytes(bloated)
    assert refused(tmp_path / "bilde.jpg").message == (
        "JPEG-filen er delt i uvanlig mange lag (skann) og tar for lang tid å lese.")


def _repeat_last_scan(data: bytes, scans: int) -> bytes:
    """A progressive JPEG with its last scan written again until it has ``scans`` scans: still a
    picture libjpeg decodes, and each repeat one more pass over every block (the red team's file)."""
    last, end = data.rindex(b"\xff\xda"), data.rindex(b"\xff\xd9")
    have = data.count(b"\xff\xda")
    return data[:end] + data[last:end] * (scans - have) + data[end:]


def test_a_progressive_jpeg_with_more_scans_than_encoders_write_is_refused(tmp_path: Path) -> None:
    # Every scan is a pass over the whole picture: a 7000 × 7000 file repeating its last scan up to
    # 100 scans was 582 kB and took 63–92 ms a megapixel to decode, where the budgets count 37.
    progressive = save(tmp_path, "ok.jpg", smooth(300, 200), "JPEG", progressive=True).read_bytes()
    assert progressive.count(b"\xff\xda") == 10  # libjpeg's progressive colour, the most common kind
    for scans, name in ((16, "seksten.jpg"), (17, "sytten.jpg"), (100, "hundre.jpg")):
        data = _repeat_last_scan(progressive, scans)
        assert Image.open(io.BytesIO(data)).convert("RGB").getpixel((10, 10)) is not None  # decodes
        (tmp_path / name).write_bytes(data)
    assert pictures.inspect(tmp_path / "seksten.jpg").format == "JPEG"
    for name in ("sytten.jpg", "hundre.jpg"):
        assert refused(tmp_path / name).message == (
            "JPEG-filen er delt i uvanlig mange lag (skann) og tar for lang tid å lese.")


@pytest.mark.parametrize("mode", ["L", "RGB"])
def test_what_encoders_write_passes_the_scan_limit_with_an_exif_thumbnail(tmp_path: Path, mode: str) -> None:
    thumbnail = io.BytesIO()
    smooth(160, 120).save(thumbnail, "JPEG")  # a camera's thumbnail: its own scan marker, inside APP1
    exif = Image.Exif()
    exif[0x010F] = "Kamera"
    data = b"Exif\x00\x00" + exif.tobytes() + thumbnail.getvalue()
    path = save(tmp_path, "bilde.jpg", smooth(300, 200).convert(mode), "JPEG", progressive=True)
    plain = path.read_bytes()
    path.write_bytes(plain[:2] + b"\xff\xe1" + struct.pack(">H", 2 + len(data)) + data + plain[2:])
    assert path.read_bytes().count(b"\xff\xda") == {"L": 6, "RGB": 10}[mode] + 1
    assert pictures.inspect(path).format == "JPEG"


# Whatever the bytes: PictureError or a picture, nothing else

SEEDS: dict[str, bytes] = {}


def seed(kind: str) -> bytes:
    """Small real pictures to mutate, with the parts parsers trip over: EXIF, ICC, alpha, scans."""
    if not SEEDS:
        image = Image.merge("RGBA", (*smooth(24, 16).split(), Image.linear_gradient("L").resize((24, 16))))
        for name, (mode, fmt, params) in {
            "jpeg": ("RGB", "JPEG", {"exif": exif_with(6), "icc_profile": linear_rgb_profile()}),
            "progressive": ("L", "JPEG", {"progressive": True, "comment": b"hei"}),
            "cmyk": ("CMYK", "JPEG", {}),
            "png": ("RGBA", "PNG", {"exif": exif_with(8)}),
            "palette": ("P", "PNG", {"transparency": 3}),
            "webp": ("RGBA", "WEBP", {"quality": 50, "exif": exif_with(3)}),
            "webp-lossless": ("RGB", "WEBP", {"lossless": True}),
        }.items():
            out = io.BytesIO()
            image.convert(mode).save(out, fmt, **params)
            SEEDS[name] = out.getvalue()
        SEEDS["png-16"] = raw_png(8, 8, 16, 2, lambda y: bytes(range(48)))
    return SEEDS[kind]


def inspect_and_make(path: Path, cache: Path) -> None:
    """Run the whole pipeline; only PictureError may come out of it."""
    try:
        info = pictures.inspect(path)
    except PictureError:
        return
    assert info.format in ("JPEG", "PNG", "WEBP")
    assert info.width * info.height <= pictures.MAX_PIXELS
    made = pictures.versions(digest(path), "historie", info.width, info.height, cache)
    try:
        pictures.make(path, made)
    except PictureError:
        return
    for version in made:
        with Image.open(version.path) as image:
            assert image.size == (version.width, version.height)


FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@FUZZ
@given(prefix=st.sampled_from([b"", b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"RIFF\x00\x01\x00\x00WEBPVP8 "]),
       rest=st.binary(max_size=3000))
def test_random_bytes_give_picture_error_or_a_picture(tmp_path: Path, prefix: bytes, rest: bytes) -> None:
    path = tmp_path / "bilde.jpg"
    path.write_bytes(prefix + rest)
    inspect_and_make(path, tmp_path / "cache")


@FUZZ
@given(kind=st.sampled_from(["jpeg", "progressive", "cmyk", "png", "palette", "webp", "webp-lossless", "png-16"]),
       changes=st.lists(st.tuples(st.floats(0, 1, exclude_max=True), st.integers(0, 255)), max_size=8),
       cut=st.one_of(st.none(), st.floats(0, 1)))
def test_damaged_real_pictures_give_picture_error_or_a_picture(
        tmp_path: Path, kind: str, changes: list[tuple[float, int]], cut: float | None) -> None:
    data = bytearray(seed(kind))
    for where, value in changes:
        data[int(where * len(data))] = value
    if cut is not None:
        data = data[: int(cut * len(data))]
    path = tmp_path / "bilde.jpg"
    path.write_bytes(bytes(data))
    inspect_and_make(path, tmp_path / "cache")


def test_a_cached_version_that_is_not_what_make_writes_is_made_again(tmp_path):
    """A .cache/ in a pull request could hold a 'version' with a GPS position in it: it is not used."""
    import io

    from PIL import Image as PILImage

    source = tmp_path / "bilde.jpg"
    PILImage.new("RGB", (1600, 1000), "red").save(source, "JPEG")
    made = pictures.versions(digest(source), "historie", 1600, 1000, tmp_path / "cache")
    planted = made[-1]
    exif = PILImage.Exif()
    exif[0x010E] = "GPS 59.9N 10.5E"
    buffer = io.BytesIO()
    PILImage.new("RGB", (planted.width, planted.height), "blue").save(buffer, "JPEG", exif=exif.tobytes())
    planted.path.parent.mkdir(parents=True)
    planted.path.write_bytes(buffer.getvalue())
    assert planted in pictures.missing(made)
    pictures.make(source, pictures.missing(made))
    assert pictures.missing(made) == []
    with PILImage.open(planted.path) as image:
        assert not image.getexif() and image.getpixel((10, 10))[0] > 200  # red, as made from the source


# Inspected once per build


def test_inspections_read_each_file_once_and_again_once_it_changed(tmp_path: Path) -> None:
    path = save(tmp_path, "bilde.jpg", Image.new("RGB", (700, 100), RED), "JPEG")
    seen = pictures.Inspections()
    first = [seen.inspect(path) for _ in range(1000)]
    assert seen.reads == 1 and first == [pictures.inspect(path)] * 1000
    save(tmp_path, "bilde.jpg", Image.new("RGB", (300, 200), BLUE), "JPEG")
    os.utime(path, ns=(1, 1))  # a new time, even on a file system with a coarse clock
    assert seen.inspect(path) == PictureInfo(300, 200, "JPEG", digest(path))
    assert seen.reads == 2


def test_inspections_keep_a_refusal_and_give_it_each_time_without_reading_again(tmp_path: Path) -> None:
    path = tmp_path / "bilde.png"
    path.write_bytes(b"GIF89a" + b"\x00" * 100)
    seen = pictures.Inspections()
    for _ in range(3):
        with pytest.raises(PictureError, match=r"^bildeformatet GIF støttes ikke\.$") as refused:
            seen.inspect(path)
        assert refused.value.suggestion == FORMAT_HINT
    assert seen.reads == 1


def test_inspections_report_a_missing_file_as_the_editor_reads_it(tmp_path: Path) -> None:
    with pytest.raises(PictureError, match=r"^finner ikke bildefilen\.$"):
        pictures.Inspections().inspect(tmp_path / "borte.jpg")


@pytest.mark.parametrize(("width", "height"), [(700, 70_000), (65_501, 1), (1, 65_501)])
def test_a_side_jpeg_cannot_hold_is_refused_before_decoding(tmp_path: Path, width: int, height: int) -> None:
    path = tmp_path / "lang.png"
    path.write_bytes(raw_png(width, height, 1, 0))
    with pytest.raises(PictureError) as refused:
        pictures.inspect(path)
    assert refused.value.message == (f"bildet er {width} × {height} piksler; ingen side kan være lengre enn "
                                     "65 500 piksler.")


def test_a_side_of_65500_pixels_is_made_into_versions(tmp_path: Path) -> None:
    path = tmp_path / "hoy.png"
    path.write_bytes(raw_png(10, 65_500, 8, 0))
    assert [(v.width, v.height) for v, _ in produce(path, tmp_path / "cache")] == [(10, 65_500)]


@pytest.mark.parametrize(("pixels", "shown"), [(50_000_000, "50"), (50_000_001, "50,1"), (245_000_000, "245"),
                                               (5_096_000_000, "5 096"), (1, "0,1")])
def test_megapixels_are_written_the_norwegian_way_and_rounded_up(pixels: int, shown: str) -> None:
    assert pictures.megapixels(pixels) == shown
