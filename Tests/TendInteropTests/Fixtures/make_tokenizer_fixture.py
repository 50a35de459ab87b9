#!/usr/bin/env python3
"""Writes tokenizer/all-MiniLM-L6-v2/wordpiece_cases.json: exact Hugging Face BERT WordPiece ids for a few
hundred varied texts, the expected output of Tend's WordPieceTokenizer (WordPieceTokenizerFixtureTests).

Reference: `transformers` BertTokenizer, which in transformers 5 is the fast (Rust `tokenizers`) tokenizer
(BertTokenizerFast is the same class), loaded from the committed copies of all-MiniLM-L6-v2's tokenizer
files beside the output. The pure-Python BertTokenizerLegacy (the old slow BasicTokenizer +
WordpieceTokenizer) is run too; where it disagrees with the fast tokenizer the case records its ids as
`legacy_ids` (documentation only: the fast tokenizer is the reference).

Run from the repository root:  /work/venv/bin/python Tests/TendInteropTests/Fixtures/make_tokenizer_fixture.py
Tests never need Python: the JSON is committed.
"""
import csv
import json
import os
import random
import sys

import tokenizers
import transformers
from transformers import BertTokenizer
from transformers.models.bert.tokenization_bert_legacy import BertTokenizerLegacy

HERE = os.path.dirname(os.path.abspath(__file__))
MODEL_DIR = os.path.join(HERE, "tokenizer", "all-MiniLM-L6-v2")
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
OUT = os.path.join(MODEL_DIR, "wordpiece_cases.json")

transformers.logging.set_verbosity_error()
fast = BertTokenizer.from_pretrained(MODEL_DIR)
legacy = BertTokenizerLegacy(os.path.join(MODEL_DIR, "vocab.txt"), do_lower_case=True)


def sample_rows(name, count, step):
    with open(os.path.join(ROOT, "Samples", name), newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    return [rows[i]["text"] for i in range(0, min(len(rows), count * step), step)]


SINGLE = [
    # empty and whitespace-only
    "", " ", "   ", "\t\n\r", "\u00a0\u3000\u2028\u2029", " \t leading and trailing \n ",
    # plain English, casing
    "Hello, world!", "a gorgeous, witty, seductive movie.", "THE QUICK BROWN FOX JUMPS OVER THE LAZY DOG",
    "unaffable", "Tokenization isn't trivial; it's WordPiece.", "don't won't can't shouldn't've",
    "The U.S.A. and the U.K.", "e.g. i.e. etc.", "Mr. O'Neil's dog-friendly cafe",
    # accents and case folding
    "Café déjà vu", "naïve façade coöperate", "ÀÉÎÕÜ àéîõü", "Straße ß", "İstanbul ıi", "ΟΔΟΣ σοφός ΣΙΣ",
    "Ǆemal ǅ ǆ", "ﬁnancial ﬂow", "Ⅻ Ⅻ ⅻ", "Ångström Øre Æsir œuvre", "Crème brûlée à la carte",
    "e\u0301 a\u0300 o\u0308 decomposed", "\u0301\u0301 lone marks", "Ḿ ẞ ǰ ΐ ŉ", "Việt Nam tiếng Việt",
    "ŞŢ șț Łódź Kraków Dvořák", "ÉCOLE ÉTÉ", "Ｆｕｌｌｗｉｄｔｈ　ＡＢＣ １２３", "ｶﾀｶﾅ halfwidth",
    # CJK and other Asian scripts
    "北京欢迎你", "日本語のテキストです。", "한국어 텍스트", "中文English混合text", "豈 更 車 compat", "𠀀𠀁 ext-B",
    "我爱自然语言处理！", "東京タワーは333メートル", "汉字，标点。符号？", "ひらがな カタカナ", "㐀㐁 ext-A",
    # other scripts
    "Привет, мир!", "Ελληνικά γράμματα", "مرحبا بالعالم", "שלום עולם", "नमस्ते दुनिया", "สวัสดีครับ",
    "ሰላም", "Բարեւ", "გამარჯობა", "ᚠᛇᚻ runes", "Ελληνικά and English and Русский mixed",
    # emoji and symbols
    "😀", "I love it 😍😍😍!", "🥲 🫠 newer emoji", "👍🏽 thumbs", "👨‍👩‍👧 family zwj", "🇫🇷🇩🇪 flags",
    "★☆♥♦ ✓✗ ©®™", "→ ← ↑ ↓ ⇒", "∑∫√∞ ≠ ≤ ≥ ±", "°C 25°", "½ ¼ ¾", "€100 £50 ¥1000 ₹500", "♪ ♫",
    # URLs, emails, code
    "https://example.com/path/to/page?q=1&x=y#frag", "www.tend.dev/docs", "mailto:someone@example.org",
    "user.name+tag@sub.domain.co.uk", "C:\\Program Files\\tend.exe", "def f(x): return x**2 + 1",
    "if (a && b || !c) { return; }", "<br /><br />This movie was <i>great</i>.", "#hashtag @mention",
    "snake_case_name camelCaseName kebab-case-name", "path/to/file.tar.gz", "192.168.0.1:8080",
    # numbers
    "3.14159", "1,000,000", "$5.99", "50%", "2024-01-01", "10:30pm", "1e-5", "-42", "+1 (555) 123-4567",
    "007 0.5 .5 5.", "1st 2nd 3rd 4th", "12345678901234567890", "٣٤٥ ١٢", "१२३",
    # punctuation runs
    "!!!???...", "--", "«quotes»", "“smart” ‘quotes’", "…", "¿Qué? ¡Hola!", "@#$%^&*()", "~`|\\", "...---...",
    "wait—what–how", "(((nested)))", "[brackets] {braces}", "a,b,c;d:e", "''\"\"", "。、！？", "﹏﹏",
    "§ ¶ † ‡ • ‰", "'quoted' \"double\"", "?!?!?!?!?!?!?!?!?!?!",
    # control and invalid characters
    "a\x00b", "tab\there", "new\nline", "cr\rreturn", "\x0b\x0cvertical", "del\x7fete", "nel\x85here",
    "zero\u200bwidth", "bom\ufeffmark", "rep\ufffdlacement", "soft\u00adhyphen", "rtl\u200fmark",
    "\x01\x02\x03 bells \x07", "line\u2028sep", "para\u2029sep", "private\ue000use", "esc\x1b[31mred\x1b[0m",
    "word\u0300", "nbsp\u00a0between", "ideographic\u3000space", "thin\u2009space", "ogham\u1680space",
    # special tokens inside the text
    "[CLS] hello [SEP]", "a[MASK]b", "[cls] lower", "[UNK] unknown", "[PAD][PAD]", "[SEP][CLS]", "[ MASK ]",
    # long words
    "a" * 100, "a" * 101, "x" * 250, "supercalifragilisticexpialidocious" * 3, "é" * 100, "é" * 101,
    "ab" * 50 + "!", "word " + "z" * 120 + " word", "pneumonoultramicroscopicsilicovolcanoconiosis",
    "antidisestablishmentarianism", "Llanfairpwllgwyngyllgogerychwyrndrobwllllantysiliogogogoch",
    "中" * 120, "🙂" * 101,
    # where tokenizers' Unicode tables differ from current Unicode: newer marks kept (U+0897, U+1AC1), U+1734
    # stripped, unassigned code points kept (U+1FADD, U+0C4F), CJK ext-E start U+2B820..U+2B91F not split out
    "a\u0897b", "e\u1ac1", "x\u1734y", "a\U0001faddb", "\u0c4f", "\U0002b820\U0002b8dc\U0002b920 ext-E",
    "\U0001f1ca\u0e01", "\U000e0041tag\U000e007f", "\u061c\u200e\u2066bidi\u2069", "\u180emongolian",
]


def random_texts(count, seed):
    """Strings of random code points from many blocks (seeded): Unicode-table edge cases."""
    rng = random.Random(seed)
    blocks = [(0x21, 0x80), (0x80, 0x250), (0x250, 0x800), (0x800, 0x3000), (0x3000, 0xA000), (0xA000, 0xD800),
              (0xE000, 0x10000), (0x10000, 0x20000), (0x1F000, 0x1FB00), (0x20000, 0x30000), (0x2B700, 0x2BA00),
              (0xE0000, 0xE0080)]
    out = []
    for _ in range(count):
        s = []
        for _ in range(rng.randint(1, 10)):
            a, b = rng.choice(blocks)
            s.append(chr(rng.randrange(a, b)))
            if rng.random() < 0.3:
                s.append(rng.choice(" ab.A\u0301É"))
        out.append("".join(s))
    return out


SINGLE += random_texts(60, seed=13)

cases = []


def add(text, pair=None, max_length=512):
    enc = fast(text, pair, truncation=True, max_length=max_length)
    full = fast(text, pair, truncation=False)
    case = {"text": text}
    if pair is not None:
        case["pair"] = pair
    case["max_length"] = max_length
    case["ids"] = enc["input_ids"]
    case["type_ids"] = enc["token_type_ids"]
    case["truncated"] = len(full["input_ids"]) > len(enc["input_ids"])
    lg = legacy(text, pair, truncation=True, max_length=max_length)["input_ids"]
    if lg != enc["input_ids"]:
        case["legacy_ids"] = lg
    cases.append(case)


for t in SINGLE:
    add(t)
for t in sample_rows("rt_polarity.csv", 80, 90):
    add(t)
for t in sample_rows("imdb_reviews.csv", 15, 130):
    add(t, max_length=128)
# truncation of single texts
for m in (3, 4, 5, 8, 16):
    add("the quick brown fox jumps over the lazy dog again and again", max_length=m)
add("unaffable unaffable unaffable", max_length=4)  # cut inside a word's pieces
# pairs with token type ids, and longest-first truncation
PAIRS = [
    ("How old are you?", "I am six years old."),
    ("", "second only"), ("first only", ""), ("", ""),
    ("Is this movie good?", "a gorgeous, witty, seductive movie."),
    ("one two three four five six seven eight", "alpha beta"),
    ("alpha beta", "one two three four five six seven eight"),
    ("one two three four five", "six seven eight nine ten"),
    ("one two three four five six", "seven eight nine ten eleven"),
    ("北京欢迎你", "Café déjà vu"),
]
for a, b in PAIRS:
    for m in (512, 5, 6, 7, 8, 9, 10, 13):
        add(a, b, max_length=m)

batches = []
for texts, m in ((["short", "a somewhat longer text here", "", "mid length one"], 512),
                 (["the quick brown fox jumps over the lazy dog", "hi"], 6)):
    enc = fast(texts, padding=True, truncation=True, max_length=m)
    batches.append({"texts": texts, "max_length": m, "ids": enc["input_ids"],
                    "type_ids": enc["token_type_ids"], "attention_mask": enc["attention_mask"]})

doc = {
    "model": "sentence-transformers/all-MiniLM-L6-v2",
    "reference": "transformers %s BertTokenizer (fast, tokenizers %s)" % (transformers.__version__, tokenizers.__version__),
    "python": sys.version.split()[0],
    "cases": cases,
    "batches": batches,
}
with open(OUT, "w", encoding="utf-8") as f:
    json.dump(doc, f, ensure_ascii=False, separators=(",", ":"))
    f.write("\n")
diff = sum(1 for c in cases if "legacy_ids" in c)
print(f"wrote {OUT}: {len(cases)} cases, {len(batches)} batches, {diff} where the legacy tokenizer differs",
      file=sys.stderr)
