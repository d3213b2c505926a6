"""Plain-text submissions: which encoding is named, which lines become paragraphs, exact refusals."""

from __future__ import annotations

import pytest

from briefing.importing.source import Unreadable
from briefing.importing.textfile import detect, looks_like_text, read_text_file

GB = "GB18030（GBK/GB2312）"


def texts(data: bytes) -> list[str]:
    return [item.text for item in read_text_file(data).items]


def refusal(data: bytes) -> str:
    with pytest.raises(Unreadable) as caught:
        read_text_file(data)
    return str(caught.value)


@pytest.mark.parametrize(
    ("code", "plausible"),
    [
        (0x1F, False),
        (0x20, True),
        (0x7E, True),
        (0x7F, False),
        (0x9F, False),
        (0xA0, True),
        (0x24F, True),
        (0x250, False),
        (0x1FFF, False),
        (0x2000, True),
        (0x206F, True),
        (0x2070, False),
        (0x245F, False),
        (0x2460, True),
        (0x24FF, True),
        (0x2500, False),
        (0x2FFF, False),
        (0x3000, True),
        (0x303F, True),
        (0x3040, False),
        (0xFEFF, False),
        (0xFF00, True),
        (0xFFEF, True),
        (0xFFF0, False),
        (ord("\t"), True),
        (ord("\r"), True),
        (ord("\n"), True),
        (ord("中"), True),
    ],
)
def test_which_characters_look_like_text(code: int, plausible: bool) -> None:
    assert looks_like_text(chr(code)) is plausible


def test_text_looks_like_text_from_95_percent_plausible_characters() -> None:
    assert looks_like_text("中" * 19 + "\u0400")
    assert not looks_like_text("中" * 18 + "\u0400" * 2)


def test_bomless_utf16_needs_at_least_four_bytes() -> None:
    # "的" in UTF-16-LE is 84 76: two bytes are read as GB18030, four as UTF-16.
    assert detect("的".encode("utf-16-le"))[1] == GB
    assert detect("的的".encode("utf-16-le")) == ("的的", "utf-16-le")


def test_bomless_big_endian_utf16_is_found_when_little_endian_fails() -> None:
    # 付 is 4E D8: read as little-endian it is a lone surrogate.
    data = "付文\n付文".encode("utf-16-be")
    assert detect(data) == ("付文\n付文", "utf-16-be")
    assert read_text_file(data).kind == "UTF-16（无 BOM） 文本"
    assert read_text_file("付文".encode("utf-16-le")).kind == "UTF-16（无 BOM） 文本"


def test_ascii_saved_as_utf16_is_not_taken_for_utf8_with_nul_bytes() -> None:
    assert detect("Report 2024\n".encode("utf-16-le")) == ("Report 2024\n", "utf-16-le")


def test_a_big_endian_bom_is_utf16() -> None:
    text = "交警五大队建立工作机制破解城区停车难问题，新增泊位一千二百个。"
    assert detect(b"\xfe\xff" + text.encode("utf-16-be")) == (text, "UTF-16")
    assert read_text_file(b"\xfe\xff" + text.encode("utf-16-be")).kind == "UTF-16 文本"


def test_gb18030_text_loses_its_bom_and_carriage_returns() -> None:
    data = "\ufeff第一行\r\n第二行\r第三行\n".encode("gb18030")
    assert detect(data) == ("第一行\n第二行\n第三行\n", GB)
    assert texts(data) == ["第一行", "第二行", "第三行"]


def test_unknown_encoding_is_refused_with_its_message() -> None:
    assert refusal(b"\xff\x41\xff") == (
        "无法识别文本的编码（不是 UTF-8、GB18030 或 UTF-16），也可能不是文本文件"
    )


def test_undecodable_utf16_is_refused_with_its_message() -> None:
    assert refusal(b"\xff\xfe" + "中文".encode("utf-16-le") + b"\x00") == (
        "文本看起来是 UTF-16 编码，但其中有无法解码的字节"
    )


def test_control_characters_are_refused_with_the_encoding() -> None:
    assert refusal("第一行\x01\n".encode()) == "这不像文本文件（按 UTF-8 解码后有控制字符）"
    late_nul = b"\xff\xfe" + ("中" * 5000 + "\x00").encode("utf-16-le")
    assert refusal(late_nul) == "这不像文本文件（按 UTF-16 解码后有控制字符）"


def test_blank_lines_are_skipped_and_a_file_of_them_is_refused() -> None:
    assert texts("第一段\n\u3000\u3000\n X \nX\n\t\f\n".encode()) == ["第一段", " X ", "X"]
    assert refusal(" \n\u3000\n\xa0\t\n".encode()) == "文件中没有文字"
    # en, em and thin spaces make no paragraph either
    assert texts("甲\n\u2002\u2003\n\u2009\n乙\n".encode()) == ["甲", "乙"]
