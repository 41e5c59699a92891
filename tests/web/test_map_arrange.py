"""The strategy map arranged by hand and downloaded, through the services and real
requests: who may save places, bad places refused with a message, re-arranging
automatically, objectives added later, and the SVG and PNG files."""

from __future__ import annotations

import datetime as dt
import io
import json
import xml.etree.ElementTree as ET
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from PIL import Image

from scorecard import clock
from scorecard.maps.models import MapPosition
from scorecard.maps.selectors import map_positions
from scorecard.maps.services import (
    MAX_DY,
    map_positions_reset,
    map_positions_save,
    parse_positions,
)
from scorecard.organizations.models import Membership
from scorecard.presentation import strategy_map
from scorecard.presentation.map_export import PNG_SCALE, missing_characters, svg_size
from scorecard.sharing.models import ShareLink
from scorecard.sharing.services import share_create
from scorecard.strategy.models import ObjectiveLink
from tests.conftest import IN_CI
from tests.factories import ObjectiveFactory, PerspectiveFactory

pytestmark = pytest.mark.django_db
MAP = "/o/northwind/s/company/map/"
SAVE = MAP + "positions/"
NAMES = ["Grow revenue", "Delight customers", "客户满意度 提升", "Ship on time", "Learn fast"]


@pytest.fixture
def map_world(world: Any) -> Any:
    financial = PerspectiveFactory(scorecard=world.scorecard, name="Financial", position=0)
    customer = PerspectiveFactory(scorecard=world.scorecard, name="Customer", position=1)
    codes = ["revenue", "delight", "satisfaction", "ontime", "learn"]
    perspectives = [financial, customer, customer, customer, customer]
    objectives = {
        code: ObjectiveFactory(perspective=p, code=code, name=name)
        for code, name, p in zip(codes, NAMES, perspectives, strict=True)
    }
    for cause, effect in [("delight", "revenue"), ("satisfaction", "delight"),
                          ("ontime", "delight"), ("learn", "satisfaction")]:  # fmt: skip
        ObjectiveLink.objects.create(cause=objectives[cause], effect=objectives[effect])
    return world


def member(world: Any, persona: str) -> Membership:
    return Membership.objects.get(user=getattr(world, persona), organization=world.organization)


def box_place(svg: str, code: str) -> tuple[float, float]:
    root = ET.fromstring(svg)
    for a in root.iter("{http://www.w3.org/2000/svg}a"):
        if a.get("data-key") == code:
            return float(a.get("data-x") or 0), float(a.get("data-dy") or 0)
    raise AssertionError(f"no box {code}")


def test_the_drawing_and_the_service_agree_on_the_band_height() -> None:
    assert MAX_DY == strategy_map.MAX_DY


def test_service_saves_resets_and_checks_the_role(map_world: Any) -> None:
    sc = map_world.scorecard
    saved = map_positions_save(
        scorecard=sc, membership=member(map_world, "editor"), positions={"ontime": (900, 10)}
    )
    assert saved == 1 and map_positions(scorecard=sc) == {"ontime": (900.0, 10.0)}
    # Saving again moves the box (one row per objective).
    map_positions_save(
        scorecard=sc, membership=member(map_world, "admin"), positions={"ontime": (950, 0)}
    )
    assert map_positions(scorecard=sc) == {"ontime": (950.0, 0.0)}
    for persona in ("viewer", "contributor"):
        with pytest.raises(PermissionDenied):
            map_positions_save(
                scorecard=sc, membership=member(map_world, persona), positions={"learn": (1, 1)}
            )
        with pytest.raises(PermissionDenied):
            map_positions_reset(scorecard=sc, membership=member(map_world, persona))
    with pytest.raises(ValidationError, match="No objective nope"):
        map_positions_save(
            scorecard=sc, membership=member(map_world, "editor"), positions={"nope": (1, 1)}
        )
    assert map_positions_reset(scorecard=sc, membership=member(map_world, "editor")) == 1
    assert map_positions(scorecard=sc) == {}


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (None, "Send the places of the boxes"),
        ({}, "Send the places of the boxes"),
        ([1, 2], "Send the places of the boxes"),
        ({"a": 5}, "The place of a must be two numbers"),
        ({"a": [1, 2, 3]}, "The place of a must be two numbers"),
        ({"a": ["left", 2]}, "The x of a must be a number, not 'left'"),
        ({"a": [True, 2]}, "The x of a must be a number"),
        ({"a": [None, 2]}, "The x of a must be a number"),
        ({"a": [-5, 2]}, "The x of a must lie between 0 and 4000"),
        ({"a": [5, 500]}, "The height in its band of a must lie between 0 and 68"),
        ({"a": ["nan", 2]}, "The x of a must lie between 0 and 4000"),
        ({"a": [1e309, 2]}, "The x of a must lie between 0 and 4000"),
    ],
)
def test_bad_places_are_refused_with_a_message(raw: Any, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        parse_positions(raw)


def test_good_places_parse() -> None:
    assert parse_positions({"a": [10, "20.5"], "b": [0, 0]}) == {"a": (10, 20.5), "b": (0, 0)}


def test_an_editor_drags_a_box_and_everybody_sees_it(map_world: Any) -> None:
    editor = map_world.client_for("editor")
    answer = editor.post(SAVE, {"positions": json.dumps({"learn": [1200, 20]})})
    assert answer.status_code == 200 and answer["Content-Type"] == "image/svg+xml"
    assert box_place(answer.content.decode(), "learn") == (1200, 20)
    viewer = map_world.client_for("viewer")
    page = viewer.get(MAP).content.decode()
    svg = page[page.index("<svg") : page.index("</svg>") + 6]
    assert box_place(svg, "learn") == (1200, 20)
    # Viewers see the layout but get no arranging tools.
    assert "Arrange boxes" not in page and "strategy-map.js" not in page
    assert "Arrange boxes" in editor.get(MAP).content.decode()


def test_a_viewer_cannot_save_or_reset_places(map_world: Any) -> None:
    for persona in ("viewer", "contributor"):
        client = map_world.client_for(persona)
        body = {"positions": json.dumps({"learn": [1200, 20]})}
        assert client.post(SAVE, body).status_code == 403
        assert client.post(MAP + "rearrange/").status_code == 403
    assert not MapPosition.objects.exists()


@pytest.mark.parametrize(
    ("positions", "message"),
    [
        ("{not json", "not readable"),
        ('{"learn": [1, 2, 3]}', "The place of learn must be two numbers"),
        ('{"learn": [-1, 2]}', "must lie between 0 and 4000"),
        ('{"nope": [1, 2]}', "No objective nope on this scorecard"),
        ("", "Send the places of the boxes"),
    ],
)
def test_bad_places_answer_422_with_the_message(
    map_world: Any, positions: str, message: str
) -> None:
    answer = map_world.client_for("editor").post(SAVE, {"positions": positions})
    assert answer.status_code == 422
    assert message in answer.content.decode()
    assert not MapPosition.objects.exists()  # nothing half-saved


def test_rearrange_automatically_forgets_the_places(map_world: Any) -> None:
    editor = map_world.client_for("editor")
    auto = box_place(editor.post(SAVE, {"positions": '{"ontime": [0, 0]}'}).content.decode(),
                     "learn")  # fmt: skip
    editor.post(SAVE, {"positions": '{"learn": [1500, 60]}'})
    answer = editor.post(MAP + "rearrange/", follow=True)
    assert answer.redirect_chain[-1][0] == MAP
    assert "arranged automatically again" in answer.content.decode()
    assert not MapPosition.objects.exists()
    page = answer.content.decode()
    assert box_place(page[page.index("<svg") : page.index("</svg>") + 6], "learn") == auto


def test_objectives_added_later_fall_back_to_the_automatic_layout(map_world: Any) -> None:
    editor = map_world.client_for("editor")
    editor.post(SAVE, {"positions": '{"learn": [1500, 60]}'})
    customer = map_world.scorecard.perspectives.get(name="Customer")
    ObjectiveFactory(perspective=customer, code="later", name="Added later")
    page = editor.get(MAP).content.decode()
    svg = page[page.index("<svg") : page.index("</svg>") + 6]
    assert box_place(svg, "learn") == (1500, 60)
    x, dy = box_place(svg, "later")
    assert dy == (strategy_map.BAND_H - strategy_map.BOX_H) / 2  # the automatic height
    assert x < 1500


def test_svg_download_holds_every_name(map_world: Any) -> None:
    answer = map_world.client_for("viewer").get("/o/northwind/s/company/map.svg")
    assert answer.status_code == 200
    assert answer["Content-Type"].startswith("image/svg+xml")
    assert 'filename="strategy-map-company.svg"' in answer["Content-Disposition"]
    root = ET.fromstring(answer.content)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    text = " ".join("".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}text"))
    for name in [*NAMES, "Financial", "Customer"]:
        assert name in text


def test_png_download_is_the_map_at_twice_its_size(map_world: Any) -> None:
    client = map_world.client_for("viewer")
    svg = client.get("/o/northwind/s/company/map.svg").content.decode()
    answer = client.get("/o/northwind/s/company/map.png")
    assert answer.status_code == 200 and answer["Content-Type"] == "image/png"
    image = Image.open(io.BytesIO(answer.content))
    image.load()
    width, height = svg_size(svg)
    assert image.size == (width * PNG_SCALE, height * PNG_SCALE)
    # Not a blank picture: the boxes' coloured bars and the text make many colours.
    assert len(image.convert("RGB").getcolors(maxcolors=1_000_000) or []) > 50


@pytest.mark.skipif(
    not IN_CI and missing_characters(["中"]) != "",
    reason="no CJK font on this machine (apt-get install fonts-noto-cjk; CI installs it)",
)
def test_chinese_names_render_in_the_png_with_noto_cjk() -> None:
    assert missing_characters(["客户满意度 提升", "顧客満足", "고객 만족"]) == ""


def test_missing_characters_names_only_what_no_font_draws() -> None:
    assert missing_characters(["Grow revenue", "Рост выручки", "Ανάπτυξη"]) == ""
    # A private-use character no font has; said once.
    assert missing_characters(["a\ue000b", "\ue000"]) == "\ue000"


def test_a_share_link_of_the_map_shows_the_arranged_layout(map_world: Any) -> None:
    map_world.client_for("editor").post(SAVE, {"positions": '{"learn": [1300, 50]}'})
    _, token = share_create(
        scorecard=map_world.scorecard, user=map_world.editor, label="Board",
        expires_on=clock.today() + dt.timedelta(days=30), what=ShareLink.What.MAP,
    )  # fmt: skip
    page = Client().get(f"/share/{token}/").content.decode()
    svg = page[page.index("<svg") : page.index("</svg>") + 6]
    root = ET.fromstring(svg)
    learn = next(
        g for g in root.iter("{http://www.w3.org/2000/svg}g") if g.get("data-key") == "learn"
    )
    assert (learn.get("data-x"), learn.get("data-dy")) == ("1300", "50")
