"""Formulas copied from a KaTeX page appear twice (or with TeX between): one copy is kept."""

from __future__ import annotations

from pathlib import Path

from hwreview.transcripts import load_transcript
from hwreview.transcripts.katex_copy import looks_doubled, undouble

HERE = Path(__file__).parent / "fixtures" / "providers"


def test_display_and_inline_formulas_are_kept_once():
    text = "Because ΔW=ABΔW=AB and AA has only kk columns:\nrank(AB)≤k.rank(AB)≤k."
    assert looks_doubled(text)
    assert undouble(text) == "Because ΔW=AB and A has only k columns:\nrank(AB)≤k."


def test_a_single_greek_letter_copied_twice_is_kept_once():
    text = "The normal stress σσ and the shear ττ on the plane at θθ.\nrank(AB)≤k.rank(AB)≤k."
    assert undouble(text).split("\n")[0] == "The normal stress σ and the shear τ on the plane at θ."


def test_a_unit_after_a_number_is_not_taken_for_a_doubled_letter():
    text = "The layer is 8.7 mm thick and 20 cc of it, where kk is small.\nrank(AB)≤k.rank(AB)≤k."
    assert (
        undouble(text).split("\n")[0]
        == "The layer is 8.7 mm thick and 20 cc of it, where k is small."
    )


def test_tex_between_two_copies_becomes_display_math():
    line = r"C≈6NDC \approx 6NDC≈6ND"
    assert undouble(line) == r"$$C \approx 6ND$$"


def test_code_numerals_and_prose_are_left_alone():
    text = "if a == b:\n    return 1010\nPart ii asks for the total, see (c)(ii).\nrank(AB)≤k.rank(AB)≤k."
    out = undouble(text).split("\n")
    assert out[:3] == ["if a == b:", "    return 1010", "Part ii asks for the total, see (c)(ii)."]


def test_prose_without_a_doubled_formula_line_is_not_touched(tmp_path):
    text = "The AA battery and the kk key, once more: mama mia."
    assert not looks_doubled(text)
    path = tmp_path / "chat.txt"
    path.write_text(f"You said:\nHi\n\nChatGPT said:\n{text}\n", encoding="utf-8")
    assert load_transcript(path).messages[1].text == text


def test_a_copied_chatgpt_page_reads_each_formula_once():
    transcript = load_transcript(HERE / "chatgpt" / "copy.txt")
    answer = transcript.messages[2].text
    assert "Because ΔW=AB and A has only k columns" in answer
    assert "∥ΔW⋆−ΔWk∥F²=∑i>kσi²." in answer.split("\n")
    user = transcript.messages[0].text
    assert "$W \\in \\mathbb{R}^{m \\times l}$" in user  # what the user typed is kept as typed


def test_a_unit_after_a_number_stays_before_a_stop_or_in_brackets():
    # a Gemini copy with a formula copied twice: '52.5 mm,' lost an 'm' (blind writer AM)
    text = "The lens is 52.5 mm, the circle c = 0.03 mm. (3 mm) and 2 cc; kk is k.\nx=2x=2"
    assert (
        undouble(text)
        == "The lens is 52.5 mm, the circle c = 0.03 mm. (3 mm) and 2 cc; k is k.\nx=2"
    )


def test_formulas_of_letters_with_figures_or_brackets_are_undoubled_and_numbers_are_not():
    # a ChatGPT copy (blind writer AK): 'Z24Z24', 'SLn(R)SLn(R)', '[a][a]' stayed doubled
    text = "x=2x=2\nIn Z24Z24 and SLn(R)SLn(R), [a][a]; f(x)f(x), from 2020 to 1010 (see 2.)"
    assert (
        undouble(text).split("\n")[1] == "In Z24 and SLn(R), [a]; f(x), from 2020 to 1010 (see 2.)"
    )


def test_a_formula_whose_rendered_copy_holds_zero_width_spaces_is_kept_once(tmp_path):
    # KaTeX's glyphs carry U+200B under scripts and fractions; its MathML copy does not
    copied = tmp_path / "copy.txt"
    copied.write_text(
        "You said:\nWhat is the rest energy?\n\nChatGPT said:\nThe rest energy is\n\n"
        "E0=mc2E0\u200b=mc\u200b2\n\nso with m\u200b=2m=\u200b2 kg it is huge.\n",
        encoding="utf-8",
    )
    answer = load_transcript(copied).messages[-1].text
    assert answer == "The rest energy is\n\nE0=mc2\n\nso with m=2 kg it is huge."


def test_a_roman_numeral_after_a_word_that_numbers_things_is_not_a_doubled_formula():
    assert undouble("Part II — Planning the experiment") == "Part II — Planning the experiment"
    assert undouble("**Part II:** then a Type II error") == "**Part II:** then a Type II error"
    assert (
        undouble("Let kk be the step, with II the identity")
        == "Let k be the step, with I the identity"
    )


def test_a_roman_numeral_numbering_a_heading_is_not_a_doubled_formula():
    text = "II. Induced power at 12 m/s\n## III) Drag\nthe current II flows\nrank(AB)≤k.rank(AB)≤k."
    assert undouble(text).split("\n")[:3] == [
        "II. Induced power at 12 m/s",
        "## III) Drag",
        "the current I flows",
    ]


def test_an_acronym_spelled_by_the_words_before_it_is_not_a_doubled_formula():
    assert undouble("Filtration Fraction (FF): 0.2") == "Filtration Fraction (FF): 0.2"
    assert undouble("the Sum of Squares (SS) is") == "the Sum of Squares (SS) is"
    assert undouble("with the matrix (AA) fixed") == "with the matrix (A) fixed"


def test_a_formula_whose_mathml_copy_holds_an_invisible_function_application_is_kept_once():
    # KaTeX's MathML copy puts U+2061 after 'erf', 'ln', 'gcd'; its rendered glyphs do not
    line = "C(x,t)=1−erf\u2061(x/2Dt)C(x,t)=1−erf(x/2Dt)"
    assert looks_doubled(line)
    assert undouble(line) == "C(x,t)=1−erf(x/2Dt)"
    assert undouble("so gcd\u2061(252,198)=18gcd(252,198)=18 here") == "so gcd(252,198)=18 here"
