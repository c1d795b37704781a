"""No metadata survives the photo pipeline (issue 13, defect 21): a shopper's name written
into a JPEG comment, a PNG text chunk, XMP, EXIF or an ICC profile's copyright must never
reach a franchise owner, neither in the stored photo, nor its thumbnail, nor the PDFs."""

from __future__ import annotations

import io

import pytest
from PIL import Image, ImageCms, PngImagePlugin
from pypdf import PdfReader

from audit.evidence.operations import add_photo
from audit.evidence.pipeline import ingest
from audit.models.visits import Photo
from audit.review import operations as review
from audit.visits import operations
from tests.evidence.test_pipeline import MB
from tests.reports.conftest import fill
from tests.support import login, picture

SECRET = "Shopper Nguyen Van A 091"  # 24 characters, the length of lcms' sRGB copyright
XMP = (
    f'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/'
    f'22-rdf-syntax-ns#"><rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/" '
    f'dc:creator="{SECRET}"/></rdf:RDF></x:xmpmeta>'
).encode()
# JPEG markers a bare baseline or progressive image needs; APP1..APP15 and COM are metadata.
PIXEL_MARKERS = {0xE0, 0xDB, 0xC0, 0xC1, 0xC2, 0xC4, 0xDD}


def icc_with_secret() -> bytes:
    """A valid sRGB profile whose copyright tag names the shopper."""
    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    original = "No copyright, use freely".encode("utf-16-be")
    assert original in profile
    return profile.replace(original, SECRET.encode("utf-16-be"))


def exif_with_secret() -> Image.Exif:
    exif = Image.Exif()
    exif[0x013B] = SECRET  # Artist
    exif[0x010E] = SECRET  # ImageDescription
    exif[0x9C9D] = SECRET.encode("utf-16-le") + b"\0\0"  # XPAuthor
    exif.get_ifd(0x8769)[0x9286] = b"ASCII\0\0\0" + SECRET.encode()  # UserComment
    exif.get_ifd(0x8825)[2] = (10.0, 46.0, 30.0)  # GPSLatitude
    return exif


def tainted(fmt: str) -> bytes:
    """A picture in `fmt` carrying the shopper's name in every metadata slot it has."""
    image = picture((900, 600))
    out = io.BytesIO()
    common = {"exif": exif_with_secret(), "icc_profile": icc_with_secret()}
    if fmt == "JPEG":
        image.save(out, "JPEG", comment=SECRET, xmp=XMP, **common)
    elif fmt == "PNG":
        text = PngImagePlugin.PngInfo()
        text.add_text("comment", SECRET)  # the key Pillow's JPEG writer picks up
        text.add_text("Author", SECRET)
        text.add_text("Description", SECRET, zip=True)  # zTXt
        text.add_itxt("Title", SECRET, lang="vi", tkey="Tiêu đề")
        text.add_itxt("XML:com.adobe.xmp", XMP.decode())
        image.save(out, "PNG", pnginfo=text, **common)
    elif fmt == "WEBP":
        image.save(out, "WEBP", xmp=XMP, **common)
    else:
        try:
            image.save(out, "HEIF", xmp=XMP, **common)
        except (KeyError, OSError, ValueError) as exc:
            pytest.skip(f"no HEIF encoder: {exc}")
    raw = out.getvalue()
    assert SECRET.encode() in raw or SECRET.encode("utf-16-be") in raw
    return raw


def jpeg_markers(data: bytes) -> set[int]:
    """The markers of a JPEG's header segments, up to the start of the scan."""
    assert data[:2] == b"\xff\xd8"
    markers, at = set(), 2
    while True:
        assert data[at] == 0xFF
        marker = data[at + 1]
        if marker == 0xDA:
            return markers
        markers.add(marker)
        at += 2 + int.from_bytes(data[at + 2 : at + 4], "big")


def assert_clean(data: bytes) -> None:
    for encoding in ("utf-8", "utf-16-be", "utf-16-le"):
        assert SECRET.encode(encoding) not in data
    assert b"Nguyen" not in data and b"xmpmeta" not in data
    markers = jpeg_markers(data)
    assert markers <= PIXEL_MARKERS, sorted(hex(m) for m in markers - PIXEL_MARKERS)
    stored = Image.open(io.BytesIO(data))
    assert stored.getexif() == {} and not stored.info.get("icc_profile")
    assert not ({"comment", "xmp", "exif"} & set(stored.info))


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP", "HEIF"])
def test_stored_photo_and_thumbnail_carry_no_metadata(fmt):
    photo = ingest(tainted(fmt), max_bytes=25 * MB)
    assert photo.source_format == fmt
    assert_clean(photo.data)
    assert_clean(photo.thumbnail)


def test_colour_profile_is_applied_to_the_pixels_then_dropped():
    """The pixels are converted to sRGB through the photo's profile (colours kept), the
    profile and the text in it are not stored; a broken profile does not refuse a photo."""
    for profile in (icc_with_secret(), b"not a profile " + SECRET.encode()):
        raw = io.BytesIO()
        Image.new("RGB", (64, 64), (0, 200, 0)).save(raw, "PNG", icc_profile=profile)
        data = ingest(raw.getvalue(), max_bytes=25 * MB).data
        assert_clean(data)
        r, g, b = Image.open(io.BytesIO(data)).getpixel((32, 32))
        assert r < 8 and abs(g - 200) < 8 and b < 8


@pytest.fixture
def tainted_visit(world, make_visit, session, file_store):
    """A published visit at the owner's branch whose photos (one tied to the failed
    question) were sent with the shopper's name in their metadata."""
    visit = make_visit(branch=world.a.branches[0])
    fill(visit, world.people.shopper, fail_code="P1.4")
    for fmt, code in (("JPEG", "P1.4"), ("PNG", "P1.2")):
        add_photo(visit, tainted(fmt), question_code=code, caption="", actor=world.people.shopper)
    operations.submit(visit, world.people.shopper)
    review.approve(visit, world.people.manager, visit.revision)
    session.commit()
    return visit


def pdf_images(data: bytes) -> list[bytes]:
    """The encoded bytes of every image drawn in a PDF (JPEGs stay JPEG inside a PDF)."""
    found = []
    for page in PdfReader(io.BytesIO(data)).pages:
        resources = page.get("/Resources") or {}
        for ref in (resources.get("/XObject") or {}).values():
            stream = ref.get_object()
            found.extend(_images(stream))
    return found


def _images(stream) -> list[bytes]:
    if stream.get("/Subtype") == "/Image":
        return [stream.get_data()]
    found = []
    inner = (stream.get("/Resources") or {}).get("/XObject") or {}
    for ref in inner.values():
        found.extend(_images(ref.get_object()))
    return found


def test_owner_gets_no_metadata_from_photos_thumbnails_and_pdfs(
    client, world, tainted_visit, session
):
    login(client, world.people.owner)
    photos = session.query(Photo).filter_by(visit_id=tainted_visit.id).all()
    assert len(photos) == 2
    for photo in photos:
        for url in (f"/photos/{photo.id}", f"/photos/{photo.id}/thumbnail"):
            response = client.get(url)
            assert response.status_code == 200
            assert_clean(response.data)
    visit_pdf = client.get(f"/reports/visits/{tainted_visit.id}.pdf?lang=vi")
    comparison = client.get(f"/reports/comparison.pdf?campaign={tainted_visit.campaign_id}&lang=en")
    for pdf in (visit_pdf, comparison):
        assert pdf.status_code == 200
        assert SECRET.encode() not in pdf.data
        jpegs = [data for data in pdf_images(pdf.data) if data[:2] == b"\xff\xd8"]
        assert jpegs
        for data in jpegs:
            assert_clean(data)


def test_photos_stored_before_the_fix_are_cleaned_without_re_encoding(
    app, world, make_visit, file_store, session
):
    """`flask storage strip-metadata` drops the segments, keeps every pixel byte."""
    visit = make_visit()
    old = tainted("JPEG")
    file_store.put("visits/old.jpg", old)
    file_store.put("visits/old-thumb.jpg", old)
    session.add(
        Photo(
            visit=visit,
            storage_key="visits/old.jpg",
            thumb_key="visits/old-thumb.jpg",
            content_type="image/jpeg",
            width=900,
            height=600,
            size_bytes=len(old),
            sha256="o" * 64,
        )
    )
    session.commit()
    runner = app.test_cli_runner()
    dry = runner.invoke(args=["storage", "strip-metadata", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "with metadata to clean (dry run): 2" in dry.output
    assert file_store.get("visits/old.jpg") == old
    done = runner.invoke(args=["storage", "strip-metadata"])
    assert "photo files scanned: 2; with metadata cleaned: 2" in done.output
    for key in ("visits/old.jpg", "visits/old-thumb.jpg"):
        clean = file_store.get(key)
        assert_clean(clean)
        assert Image.open(io.BytesIO(clean)).tobytes() == Image.open(io.BytesIO(old)).tobytes()
    again = runner.invoke(args=["storage", "strip-metadata"])
    assert "with metadata cleaned: 0" in again.output
