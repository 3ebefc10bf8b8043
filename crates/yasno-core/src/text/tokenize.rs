//! Splits text into tokens: words (by Unicode segmentation, rejoined over hyphens), numbers,
//! punctuation, and the inline things that are not prose — URLs, e-mail addresses, phone numbers.
//!
//! The text is read once, piece by piece (whitespace-free stretches, see `pieces`). Almost every
//! piece is plain — Russian or English letters and ASCII digits with punctuation around them — and
//! is split from its bytes. A run of pieces that may hold a URL, e-mail or phone (`is_key_piece`)
//! is searched with the inline pattern, from where a match may start; any other piece goes to
//! Unicode word segmentation. The tests check all of it against the plain definition: the
//! pattern over the whole text, and segmentation of the text between its matches.

use std::ops::Range;
use std::sync::OnceLock;

use regex::Regex;
use unicode_segmentation::UnicodeSegmentation;

use super::evasion;
use crate::morphology::{self, is_letter};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenKind {
    Word,
    Number,
    Punct,
    Url,
    Email,
    Phone,
}

/// A token's byte range is kept in 32 bits: a document has a token every few bytes, and 12 bytes a
/// token instead of 24 halve the memory the largest table of a document takes. The texts yasno
/// reads are far below 4 GiB (see `input::MAX_INPUT_BYTES`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Token {
    start: u32,
    end: u32,
    pub kind: TokenKind,
    /// Inside a quotation of someone else's words — the title of a legal act, the citizen's letter
    /// (after a colon or «Вы пишете») — so not the writer's prose.
    pub in_citation: bool,
    /// The word is read in a clean form (see `evasion`), not as written.
    cleaned: bool,
}

impl Token {
    pub fn new(range: Range<usize>, kind: TokenKind) -> Self {
        let offset = |at: usize| u32::try_from(at).expect("a text under 4 GiB");
        Token {
            start: offset(range.start),
            end: offset(range.end),
            kind,
            in_citation: false,
            cleaned: false,
        }
    }

    /// Whether the rules read the word in a clean form (`Document::word_text`) that differs
    /// from its written text: it had invisible characters, look-alikes or a line break in it.
    pub fn has_clean_form(&self) -> bool {
        self.cleaned
    }

    pub(super) fn set_clean_form(&mut self) {
        self.cleaned = true;
    }

    /// Byte range in the document's text.
    pub fn range(&self) -> Range<usize> {
        self.start()..self.end()
    }

    pub fn start(&self) -> usize {
        self.start as usize
    }

    pub fn end(&self) -> usize {
        self.end as usize
    }

    pub fn is_word(&self) -> bool {
        self.kind == TokenKind::Word
    }

    /// Words and numbers are checked; URLs, e-mails, phones and quoted legal titles are not.
    pub fn is_prose_word(&self) -> bool {
        self.kind == TokenKind::Word && !self.in_citation
    }
}

/// URLs, e-mail addresses and phone numbers. Only the Latin letters (and «рф») are matched in
/// either case: `(?i)` over `\w`, `\d` and the other classes, which hold both cases already or
/// have none, would match the same and cost a third more to compile.
fn inline_non_prose() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r#"(?x)
            (?P<email>[\w.+-]+@[\w-]+(?:\.[\w-]+)+)
          | (?P<url>(?i:https?://|ftp://|www\.)[^\s<>«»"'`]+
              | \b(?i:[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*\.(?:ru|рф|su|com|org|net|gov|info|online|io))\b(?:/[^\s<>«»"'`]*)?)
          | (?P<phone>(?:\+7|\b8)[\s\u{A0}-]?\(?\d{3,5}\)?[\s\u{A0}-]?\d{1,3}[\s\u{A0}-]?\d{2}[\s\u{A0}-]?\d{2}\b)
            "#,
        )
        .expect("the inline pattern is valid")
    })
}

/// Trailing punctuation belongs to the sentence, not to the URL: «см. https://x.ru/a.» ends with a period.
fn trim_url_end(text: &str, range: Range<usize>) -> Range<usize> {
    let mut end = range.end;
    let slice = &text[range.start..end];
    let mut trimmed = slice;
    loop {
        let next =
            trimmed.trim_end_matches(['.', ',', ';', ':', '!', '?', '»', '"', '\'', '“', '”']);
        // A closing bracket stays only when the URL opened one.
        let next = if next.ends_with(')') && next.matches('(').count() < next.matches(')').count() {
            &next[..next.len() - 1]
        } else {
            next
        };
        if next.len() == trimmed.len() {
            break;
        }
        trimmed = next;
    }
    end = range.start + trimmed.len();
    range.start..end
}

/// Whether a whitespace-free piece of text may be part of a URL, e-mail or phone match. Every
/// whitespace-separated piece of such a match has one of: «@» (e-mail), «:» (`https://`), a period
/// followed by a letter or digit (`.ru`) or ending `www.` with something after it, or a digit
/// (a phone; the pattern's `\d` is any Unicode digit). A period that ends a word
/// («рассмотрено.», «ответ.»») is none of them.
fn is_key_piece(piece: &str) -> bool {
    let bytes = piece.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'@' | b':' | b'0'..=b'9' => return true,
            b'.' => {
                let Some(next) = piece[i + 1..].chars().next() else {
                    continue;
                };
                if next.is_alphanumeric() || i >= 3 && bytes[i - 3..i].eq_ignore_ascii_case(b"www")
                {
                    return true;
                }
            }
            // Lead bytes of U+0400..U+047F: Cyrillic letters, none of them a digit.
            0xD0 | 0xD1 => {}
            0xC0..
                if piece[i..]
                    .chars()
                    .next()
                    .is_some_and(morphology::is_numeric) =>
            {
                return true;
            }
            _ => {}
        }
    }
    false
}

/// Whether a whitespace-free piece may hold an e-mail address or a URL; each lies within one
/// piece. An e-mail holds «@»; a URL «://», «www.» or a period before its top-level domain
/// («.ru», «.рф»). A sentence's final period («ответ.», «2025 г.») is none of these.
fn may_hold_address(piece: &[u8]) -> bool {
    piece.iter().enumerate().any(|(i, &b)| match b {
        b'@' => true,
        b':' => piece[i + 1..].starts_with(b"//"),
        b'.' => {
            i >= 3 && piece[i - 3..i].eq_ignore_ascii_case(b"www")
                || may_start_top_level_domain(&piece[i + 1..])
        }
        _ => false,
    })
}

/// Whether a run of key pieces may hold a phone: it needs at least nine digits («+7» or «8»,
/// then 3 + 1 + 2 + 2; the pattern's `\d` is any Unicode digit). Dates and numbers
/// («01.12.2026», «№ 59-ФЗ») have fewer.
fn may_hold_phone(run: &str) -> bool {
    let mut digits = 0;
    for (i, b) in run.bytes().enumerate() {
        match b {
            b'0'..=b'9' => digits += 1,
            // Lead bytes of U+0400..U+047F: Cyrillic letters, none of them a digit.
            0xD0 | 0xD1 => {}
            0xC0.. if run[i..].chars().next().is_some_and(morphology::is_numeric) => digits += 1,
            _ => {}
        }
    }
    digits >= 9
}

/// The first offset of `range` (within a run of key pieces) where a match may start: the start of
/// a piece that may hold an address, or a «+» or «8» that may start a phone. Searching from there
/// finds the same match as searching from `range.start`, and the regex's fast engine, which
/// gives up on non-ASCII text because of the Unicode `\b`, is not stopped by words before it
/// («ответ: https://…», «тел.: 8 (3412) …»).
fn next_possible_start(text: &str, range: Range<usize>, phone_possible: bool) -> Option<usize> {
    pieces(text, range).find_map(|Piece { range: piece, .. }| {
        let bytes = &text.as_bytes()[piece.clone()];
        if may_hold_address(bytes) {
            return Some(piece.start);
        }
        let phone_start = bytes.iter().position(|&b| b == b'+' || b == b'8');
        phone_start
            .filter(|_| phone_possible)
            .map(|i| piece.start + i)
    })
}

/// Whether `bytes` start with a letter that may begin one of the pattern's top-level domains
/// under `(?i)`: r, s, c, o, n, g, i in either case (ru, su, com, org, net, gov, info, online,
/// io), «р» or «Р» (рф), or «ſ», which matches «s».
fn may_start_top_level_domain(bytes: &[u8]) -> bool {
    match bytes {
        [first, ..] if b"rscongi".contains(&first.to_ascii_lowercase()) => true,
        // р, Р, ſ
        [0xD1, 0x80, ..] | [0xD0, 0xA0, ..] | [0xC5, 0xBF, ..] => true,
        _ => false,
    }
}

/// Length in bytes of the whitespace character (Unicode White_Space, which both the regex's `\s`
/// and `char::is_whitespace` follow) at the start of `bytes`, or 0. Only these lead bytes start
/// one, so the bytes are read without decoding, and a continuation byte never matches.
fn whitespace_len(bytes: &[u8]) -> usize {
    match bytes {
        [b'\t'..=b'\r' | b' ', ..] => 1,
        // U+0085, U+00A0 (no-break space)
        [0xC2, 0x85 | 0xA0, ..] => 2,
        // U+1680
        [0xE1, 0x9A, 0x80, ..] => 3,
        // U+2000..U+200A, U+2028, U+2029, U+202F
        [0xE2, 0x80, 0x80..=0x8A | 0xA8 | 0xA9 | 0xAF, ..] => 3,
        // U+205F, U+3000
        [0xE2, 0x81, 0x9F, ..] | [0xE3, 0x80, 0x80, ..] => 3,
        _ => 0,
    }
}

/// A byte may start a whitespace character (see `whitespace_len`).
const MAY_START_SPACE: u8 = 1;
/// A byte may make its piece a key piece (see `is_key_piece`): «@», «:», «.», an ASCII digit, or
/// a lead byte that may start a non-ASCII digit (any but those of the Cyrillic letters).
const MAY_MAKE_KEY: u8 = 2;
/// A byte may start a plain punctuation mark (see `plain_punct_len`).
const MAY_START_MARK: u8 = 4;

/// The classes above of every byte, so that the scan for pieces costs one look-up a byte.
static BYTE_CLASSES: [u8; 256] = {
    let mut classes = [0; 256];
    let mut byte = 0;
    while byte < 256 {
        let b = byte as u8;
        if matches!(b, b'\t'..=b'\r' | b' ' | 0xC2 | 0xE1..=0xE3) {
            classes[byte] |= MAY_START_SPACE;
        }
        if matches!(b, b'@' | b':' | b'.' | b'0'..=b'9') || b >= 0xC0 && b != 0xD0 && b != 0xD1 {
            classes[byte] |= MAY_MAKE_KEY;
        }
        if matches!(
            b,
            b',' | b'.' | b';' | b':' | b'!' | b'?' | b'(' | b')' | b'"' | 0xC2 | 0xE2
        ) {
            classes[byte] |= MAY_START_MARK;
        }
        byte += 1;
    }
    classes
};

/// A whitespace-free piece of the text.
struct Piece {
    range: Range<usize>,
    /// False when no byte of the piece can make it a key piece, so `is_key_piece` need not look.
    may_be_key: bool,
    /// For a plain piece (see `read_plain_piece`), its letters and digits (perhaps none) and
    /// whether they are all digits.
    plain_core: Option<(Range<usize>, bool)>,
}

/// The whitespace-free pieces of `range` of the text, split as the regex's `\s` splits.
fn pieces(text: &str, range: Range<usize>) -> Pieces<'_> {
    Pieces {
        bytes: &text.as_bytes()[..range.end],
        at: range.start,
    }
}

struct Pieces<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Iterator for Pieces<'_> {
    type Item = Piece;

    fn next(&mut self) -> Option<Piece> {
        let bytes = self.bytes;
        // A local offset, so that the loops below keep it in a register.
        let mut i = self.at;
        loop {
            if i >= bytes.len() {
                self.at = i;
                return None;
            }
            match whitespace_len(&bytes[i..]) {
                0 => break,
                len => i += len,
            }
        }
        if let Some(piece) = read_plain_piece(bytes, i) {
            self.at = piece.range.end;
            return Some(piece);
        }
        let start = i;
        let mut classes = 0;
        while let Some(&b) = bytes.get(i) {
            let class = BYTE_CLASSES[usize::from(b)];
            if class & MAY_START_SPACE != 0 && whitespace_len(&bytes[i..]) > 0 {
                break;
            }
            classes |= class;
            i += 1;
        }
        self.at = i;
        Some(Piece {
            range: start..i,
            may_be_key: classes & MAY_MAKE_KEY != 0,
            plain_core: None,
        })
    }
}

/// The plain piece at `start`, if the piece there is one: plain punctuation, then letters (Russian
/// or English) and ASCII digits, then plain punctuation — «(в», «ответе»,», «2025». Most pieces
/// are, and reading one this way finds its end and its word in one pass over its bytes.
fn read_plain_piece(bytes: &[u8], start: usize) -> Option<Piece> {
    let core_start = skip_plain_marks(bytes, start);
    let core = plain_core_run(&bytes[core_start..]);
    let core_end = core_start + core.len;
    let end = skip_plain_marks(bytes, core_end);
    if end < bytes.len() && whitespace_len(&bytes[end..]) == 0 {
        return None;
    }
    // Of the bytes of a plain piece, only digits, «:» and a «.» with something after it may make
    // it a key piece; a sentence's final period («ответ.») does not.
    let key_mark = |at: usize| bytes[at] == b':' || bytes[at] == b'.' && at + 1 < end;
    let may_be_key = core.has_digit || (start..core_start).chain(core_end..end).any(key_mark);
    Some(Piece {
        range: start..end,
        may_be_key,
        plain_core: Some((core_start..core_end, !core.has_letter)),
    })
}

/// What the tokenizer takes at a time: one ordinary piece, or a run of key pieces (see
/// `is_key_piece`) with only whitespace between them. No match of `inline_non_prose` lies outside
/// the runs: a match is made of key pieces and the whitespace between them. So the regex (a slow
/// Unicode-aware engine, because of `\b`) never sees the plain words that are almost all of a letter.
enum Stretch {
    Piece(Piece),
    KeyRun(Range<usize>),
}

fn stretches(text: &str) -> impl Iterator<Item = Stretch> + '_ {
    let mut pieces = pieces(text, 0..text.len())
        .map(move |piece| {
            let key = piece.may_be_key && is_key_piece(&text[piece.range.clone()]);
            (key, piece)
        })
        .peekable();
    std::iter::from_fn(move || {
        let (key, piece) = pieces.next()?;
        if !key {
            return Some(Stretch::Piece(piece));
        }
        let mut run = piece.range;
        while let Some((_, next)) = pieces.next_if(|(key, _)| *key) {
            run.end = next.range.end;
        }
        Some(Stretch::KeyRun(run))
    })
}

/// The matches of `inline_non_prose` that start within a run, with their kinds, exactly as
/// `captures_iter` over the whole text gives them.
fn run_matches(
    text: &str,
    run: Range<usize>,
) -> impl Iterator<Item = (TokenKind, Range<usize>)> + '_ {
    // The haystack ends where the run ends (whitespace or the end follows, so `\b` reads the
    // same), and starts at the text's start, so `\b` sees the character before a match.
    let haystack = &text[..run.end];
    let phone_possible = may_hold_phone(&text[run.clone()]);
    let mut at = run.start;
    std::iter::from_fn(move || {
        let start = next_possible_start(text, at..run.end, phone_possible)?;
        // Compiled on first use: a letter without a URL, e-mail or phone never pays for it.
        let re = inline_non_prose();
        let found = re.find_at(haystack, start)?;
        at = found.end();
        let kind = inline_kind(found.as_str()).unwrap_or_else(|| {
            // The same search with captures (slower) names the branch that matched.
            let captures = re
                .captures_at(haystack, start)
                .expect("the match found again");
            captures_kind(&captures)
        });
        Some((kind, found.range()))
    })
}

/// The kind of a match of `inline_non_prose`, read from its text where the text decides it.
/// A phone holds only digits, «+», «(», «)», «-» and spaces; an e-mail holds «@» and never «:» or
/// «/»; a URL holds «:» or a period, and «@» only after «:» or «/» — or after «www.»: «www.x@y.ru»
/// is an e-mail (that branch comes first), «www.x@y» a URL. That case returns None.
fn inline_kind(matched: &str) -> Option<TokenKind> {
    let has = |byte: u8| matched.as_bytes().contains(&byte);
    if !has(b'@') {
        return Some(if has(b'.') || has(b':') {
            TokenKind::Url
        } else {
            TokenKind::Phone
        });
    }
    if has(b':') || has(b'/') {
        return Some(TokenKind::Url);
    }
    let after_www = matched.len() >= 4 && matched.as_bytes()[..4].eq_ignore_ascii_case(b"www.");
    (!after_www).then_some(TokenKind::Email)
}

/// The kind of a match of `inline_non_prose`: the name of the group that matched.
fn captures_kind(found: &regex::Captures<'_>) -> TokenKind {
    if found.name("email").is_some() {
        TokenKind::Email
    } else if found.name("url").is_some() {
        TokenKind::Url
    } else {
        TokenKind::Phone
    }
}

/// One pass over the pieces of the text. An ordinary piece is split by `split_unit`; a key run is
/// searched for URLs, e-mails and phones, and the prose around them split as well.
#[cfg(test)]
pub fn tokenize(text: &str) -> Vec<Token> {
    tokenize_noting_evasions(text).0
}

/// `tokenize`, and whether the text may hide a word (`evasion::may_hide`). Only the pieces that
/// are not plain are looked at, so plain text pays nothing for the check.
pub fn tokenize_noting_evasions(text: &str) -> (Vec<Token>, bool) {
    let mut may_hide = false;
    let mut tokens = Vec::with_capacity(text.len() / 6);
    // Everything before `done` is tokenized; it is the end of the last piece or match taken.
    let mut done = 0;
    for stretch in stretches(text) {
        match stretch {
            Stretch::Piece(piece) => {
                if piece.plain_core.is_none() && !may_hide {
                    may_hide =
                        evasion::may_hide(&text[piece.range.clone()], &text[piece.range.end..]);
                }
                split_unit(text, done, &piece, &mut tokens);
                done = piece.range.end;
            }
            Stretch::KeyRun(run) => {
                if !may_hide {
                    may_hide = evasion::may_hide(&text[run.clone()], &text[run.end..]);
                }
                for (kind, found) in run_matches(text, run.clone()) {
                    let whole = match kind {
                        TokenKind::Url => trim_url_end(text, found),
                        _ => found,
                    };
                    if whole.start < done || whole.is_empty() {
                        continue;
                    }
                    split_prose(text, done..whole.start, &mut tokens);
                    tokens.push(Token::new(whole.clone(), kind));
                    done = whole.end;
                }
                split_prose(text, done..run.end, &mut tokens);
                done = run.end;
            }
        }
    }
    (tokens, may_hide)
}

fn is_hyphen(s: &str) -> bool {
    matches!(s, "-" | "\u{2011}")
}

/// Splits the pieces of a range, each as `split_unit` does.
fn split_prose(text: &str, range: Range<usize>, tokens: &mut Vec<Token>) {
    let mut unit_start = range.start;
    for piece in pieces(text, range) {
        split_unit(text, unit_start, &piece, tokens);
        unit_start = piece.range.end;
    }
}

/// Tokens of one unit: a run of whitespace from `unit_start` and the whitespace-free `piece` after
/// it. Unicode word segmentation always breaks before whitespace, and no token starts with it, so
/// each unit segments (and joins compounds) as it would within the whole text. A plain piece is
/// split directly, as segmentation splits it: one token for the letters and digits, one per
/// punctuation mark.
fn split_unit(text: &str, unit_start: usize, piece: &Piece, tokens: &mut Vec<Token>) {
    let Some((core, digits_only)) = &piece.plain_core else {
        let first_new = tokens.len();
        segment_words(text, unit_start..piece.range.end, tokens);
        join_compounds(text, tokens, first_new);
        return;
    };
    // Most pieces have no mark before the word and at most one after it.
    if core.start > piece.range.start {
        push_plain_marks(text, piece.range.start..core.start, tokens);
    }
    if !core.is_empty() {
        tokens.push(Token::new(
            core.clone(),
            if *digits_only {
                TokenKind::Number
            } else {
                TokenKind::Word
            },
        ));
    }
    if core.end < piece.range.end {
        push_plain_marks(text, core.end..piece.range.end, tokens);
    }
}

/// Length of the punctuation mark at the start of `bytes` that may stand before or after a plain
/// word with no effect on segmentation, or 0: `, . ; : ! ? ( ) " « » “ ” „`. None of them joins
/// letters or digits unless it stands between them, which a plain piece excludes.
fn plain_punct_len(bytes: &[u8]) -> usize {
    match bytes {
        [
            b',' | b'.' | b';' | b':' | b'!' | b'?' | b'(' | b')' | b'"',
            ..,
        ] => 1,
        // « »
        [0xC2, 0xAB | 0xBB, ..] => 2,
        // “ ” „
        [0xE2, 0x80, 0x9C..=0x9E, ..] => 3,
        _ => 0,
    }
}

/// The offset after the plain punctuation marks from `at`.
fn skip_plain_marks(bytes: &[u8], mut at: usize) -> usize {
    // Most pieces start with a letter and end at a space: one look-up says there is no mark.
    while bytes
        .get(at)
        .is_some_and(|&b| BYTE_CLASSES[usize::from(b)] & MAY_START_MARK != 0)
    {
        match plain_punct_len(&bytes[at..]) {
            0 => break,
            len => at += len,
        }
    }
    at
}

/// A token per plain punctuation mark of `range` (which holds only such marks).
fn push_plain_marks(text: &str, range: Range<usize>, tokens: &mut Vec<Token>) {
    let mut at = range.start;
    while at < range.end {
        let len = plain_punct_len(&text.as_bytes()[at..range.end]);
        debug_assert!(len > 0, "only plain marks");
        tokens.push(Token::new(at..at + len, TokenKind::Punct));
        at += len;
    }
}

/// A run of Russian or English letters and ASCII digits.
struct CoreRun {
    len: usize,
    has_letter: bool,
    has_digit: bool,
}

/// Whether a continuation byte makes a Russian letter after the lead byte 0xD0 (first 256
/// entries) or 0xD1 (last 256): Ё D0 81, А..п D0 90..BF, р..я D1 80..8F, ё D1 91.
static CYRILLIC_LETTER_TAILS: [bool; 512] = {
    let mut tails = [false; 512];
    let mut next = 0;
    while next < 256 {
        tails[next] = next == 0x81 || next >= 0x90 && next <= 0xBF;
        tails[256 + next] = next >= 0x80 && next <= 0x8F || next == 0x91;
        next += 1;
    }
    tails
};

/// The run of Russian or English letters and ASCII digits at the start of `bytes`.
fn plain_core_run(bytes: &[u8]) -> CoreRun {
    let mut at = 0;
    let mut has_letter = false;
    let mut has_digit = false;
    while let Some(&b) = bytes.get(at) {
        // Cyrillic first: most letters are. Its letters are two bytes, 0xD0 or 0xD1 and then a
        // continuation byte: Ё D0 81, А..п D0 90..BF, р..я D1 80..8F, ё D1 91.
        let len = if b & 0xFE == 0xD0 {
            let next = bytes.get(at + 1).copied().unwrap_or(0);
            // A table, not a branch on the lead byte: which of the two comes next in a word is
            // as good as random, and the mispredicted branch was most of this loop's time.
            if !CYRILLIC_LETTER_TAILS[usize::from(b & 1) << 8 | usize::from(next)] {
                break;
            }
            2
        } else if b.is_ascii_alphabetic() {
            1
        } else if b.is_ascii_digit() {
            has_digit = true;
            at += 1;
            continue;
        } else {
            break;
        };
        has_letter = true;
        at += len;
    }
    CoreRun {
        len: at,
        has_letter,
        has_digit,
    }
}

/// Unicode word segmentation of `range`: words and numbers as tokens, punctuation a token per
/// character, whitespace and control characters dropped.
fn segment_words(text: &str, range: Range<usize>, tokens: &mut Vec<Token>) {
    let slice = &text[range.clone()];
    for (index, piece) in slice.split_word_bound_indices() {
        let start = range.start + index;
        let end = start + piece.len();
        let first = piece.chars().next().expect("segments are never empty");
        if first.is_whitespace() {
            continue;
        }
        if piece.chars().any(|c| {
            is_letter(c) || c.is_ascii_digit() || !c.is_ascii() && morphology::is_numeric(c)
        }) {
            let kind = if piece.chars().any(is_letter) {
                TokenKind::Word
            } else {
                TokenKind::Number
            };
            tokens.push(Token::new(start..end, kind));
        } else {
            // Punctuation: one token per character, so «?!» and «...» can be read one by one.
            for (offset, ch) in piece.char_indices() {
                if ch.is_whitespace() || ch.is_control() && ch != '\u{0}' {
                    continue;
                }
                tokens.push(Token::new(
                    start + offset..start + offset + ch.len_utf8(),
                    TokenKind::Punct,
                ));
            }
        }
    }
}

/// Rejoins what Unicode segmentation splits but Russian writes as one word: «по-Вашему», «59-ФЗ»,
/// «кто-то», and short slash forms such as «м/р».
fn join_compounds(text: &str, tokens: &mut Vec<Token>, from: usize) {
    let mut write = from;
    let mut read = from;
    while read < tokens.len() {
        let mut current = tokens[read].clone();
        read += 1;
        if matches!(current.kind, TokenKind::Word | TokenKind::Number) {
            while read + 1 < tokens.len() {
                let joint = &tokens[read];
                let next = &tokens[read + 1];
                let joint_text = &text[joint.range()];
                let adjacent = joint.start() == current.end() && next.start() == joint.end();
                let joinable = matches!(next.kind, TokenKind::Word | TokenKind::Number);
                let slash_pair = joint_text == "/"
                    && text[current.range()].chars().count() <= 2
                    && text[next.range()].chars().count() <= 2
                    && current.kind == TokenKind::Word
                    && next.kind == TokenKind::Word;
                if adjacent && joinable && (is_hyphen(joint_text) || slash_pair) {
                    current.end = next.end;
                    if next.kind == TokenKind::Word {
                        current.kind = TokenKind::Word;
                    }
                    read += 2;
                } else {
                    break;
                }
            }
        }
        tokens[write] = current;
        write += 1;
    }
    tokens.truncate(write);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pieces(text: &str) -> Vec<(&str, TokenKind)> {
        tokenize(text)
            .into_iter()
            .map(|t| (&text[t.range()], t.kind))
            .collect()
    }

    #[test]
    fn hyphenated_words_and_legal_references_stay_whole() {
        let got = pieces("по-Вашему, № 59-ФЗ и кто-то");
        assert_eq!(got[0], ("по-Вашему", TokenKind::Word));
        assert!(got.contains(&("59-ФЗ", TokenKind::Word)));
        assert!(got.contains(&("кто-то", TokenKind::Word)));
    }

    #[test]
    fn urls_emails_and_phones_are_single_tokens() {
        let text = "Пишите на info@minim.udmr.ru, звоните +7 (3412) 22-33-44 или см. https://pos.gosuslugi.ru/form/?id=5.";
        let got = pieces(text);
        assert!(got.contains(&("info@minim.udmr.ru", TokenKind::Email)));
        assert!(got.contains(&("+7 (3412) 22-33-44", TokenKind::Phone)));
        assert!(got.contains(&("https://pos.gosuslugi.ru/form/?id=5", TokenKind::Url)));
        assert_eq!(got.last().unwrap().0, ".");
    }

    /// The plain-piece shortcut gives exactly the tokens of Unicode segmentation of the whole text.
    #[test]
    fn plain_pieces_split_as_unicode_segmentation_does() {
        use proptest::prelude::*;
        use proptest::test_runner::{Config, TestRunner};
        let alphabet: Vec<char> =
            "аяЁёжЖzZ09 .,;:!?()«»\"“”„-'‑/_\n\t\u{a0}\u{301}\u{200d}\u{ad}№…—٣😀"
                .chars()
                .collect();
        let reference = |text: &str| {
            let mut tokens = Vec::new();
            segment_words(text, 0..text.len(), &mut tokens);
            join_compounds(text, &mut tokens, 0);
            tokens
        };
        let mut runner = TestRunner::new(Config {
            cases: 4000,
            ..Config::default()
        });
        let text = proptest::collection::vec(proptest::sample::select(alphabet), 0..40)
            .prop_map(|chars| chars.into_iter().collect::<String>());
        runner
            .run(&text, |text| {
                let mut tokens = Vec::new();
                split_prose(&text, 0..text.len(), &mut tokens);
                prop_assert_eq!(tokens, reference(&text), "{:?}", text);
                Ok(())
            })
            .unwrap();
        let letter = "Уважаемая Анна Сергеевна! «Ответ» (в 2025 году) дан: см. т.к. кто-то 59-ФЗ.";
        let mut tokens = Vec::new();
        split_prose(letter, 0..letter.len(), &mut tokens);
        assert_eq!(tokens, reference(letter));
    }

    /// The matches found by searching the key runs only, in order.
    fn run_search_matches(text: &str) -> impl Iterator<Item = (TokenKind, Range<usize>)> + '_ {
        stretches(text)
            .filter_map(|stretch| match stretch {
                Stretch::KeyRun(run) => Some(run),
                Stretch::Piece(_) => None,
            })
            .flat_map(move |run| run_matches(text, run))
    }

    /// The region search gives exactly what a search of the whole text gives.
    #[test]
    fn region_search_equals_whole_text_search() {
        let mut texts: Vec<String> = vec![
            "Пишите на info@minim.udmr.ru, звоните +7 (3412) 22-33-44 или см. https://pos.gosuslugi.ru/form/?id=5.".into(),
            "сайтmail.ru и mail.ruвход, тел. 8 912 345 67 89; 8-800-100-20-30 www.x.ru/a?b=1 ftp://h".into(),
            "a.b@c.ru.x;  +7\u{a0}912\u{a0}345\u{a0}67\u{a0}89 (см.gosuslugi.ru)".into(),
            "e-mail:ivanov@mail.ru,тел.:+7(495)123-45-67. Сайт:  admin.udmurt.ru/polls/12".into(),
            "до 01.12.2026 г. 8 (912) 3456789, сайт.рф, 12.рф, x.ſu, www.1 и 8\u{2009}912\u{3000}345 67 89".into(),
            "тел. 8(123)4-56-78 или +7 123 4 56 78, не 8 123 4 56 7".into(),
            "www.x@y.ru и www.x@y, WWW.a.b@c.su: ftp://u@h a@b.ru/x".into(),
        ];
        let letters = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/letters");
        for folder in ["good", "bad"] {
            for entry in std::fs::read_dir(format!("{letters}/{folder}")).unwrap() {
                texts.push(std::fs::read_to_string(entry.unwrap().path()).unwrap_or_default());
            }
        }
        for text in &texts {
            let whole: Vec<_> = inline_non_prose()
                .captures_iter(text)
                .map(|c| (captures_kind(&c), c.get(0).unwrap().range()))
                .collect();
            let regions: Vec<_> = run_search_matches(text).collect();
            assert_eq!(whole, regions, "{text}");
            assert_eq!(tokenize(text), reference_tokenize(text), "{text}");
        }
    }

    /// `inline_non_prose` as first written, with `(?i)` over all of it.
    fn inline_non_prose_as_written() -> &'static Regex {
        static RE: OnceLock<Regex> = OnceLock::new();
        RE.get_or_init(|| {
            Regex::new(
                r#"(?xi)
                (?P<email>[\w.+-]+@[\w-]+(?:\.[\w-]+)+)
              | (?P<url>(?:https?://|ftp://|www\.)[^\s<>«»"'`]+
                  | \b[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*\.(?:ru|рф|su|com|org|net|gov|info|online|io)\b(?:/[^\s<>«»"'`]*)?)
              | (?P<phone>(?:\+7|\b8)[\s\u{A0}-]?\(?\d{3,5}\)?[\s\u{A0}-]?\d{1,3}[\s\u{A0}-]?\d{2}[\s\u{A0}-]?\d{2}\b)
                "#,
            )
            .unwrap()
        })
    }

    /// `(?i)` changes nothing outside the Latin letters of the pattern: every other class and
    /// literal matches the same characters with it as without it.
    #[test]
    fn case_insensitivity_matters_only_for_latin_letters() {
        let all_chars: String = (char::MIN..=char::MAX).collect();
        let parts = [
            r"[\w.+-]",
            r"[\w-]",
            r"\d",
            r"[\s\u{A0}-]",
            r#"[^\s<>«»"'`]"#,
            r"[@.+()/:]",
            r"[78]",
        ];
        for part in parts {
            let matched = |pattern: &str| -> Vec<usize> {
                let re = Regex::new(pattern).unwrap();
                re.find_iter(&all_chars).map(|m| m.start()).collect()
            };
            assert_eq!(matched(part), matched(&format!("(?i){part}")), "{part}");
        }
    }

    /// The tokenizer as its definition reads: the matches of the inline pattern over the whole
    /// text, and Unicode word segmentation (with compounds rejoined) of the text between them.
    fn reference_tokenize(text: &str) -> Vec<Token> {
        let prose = |range: Range<usize>, tokens: &mut Vec<Token>| {
            let first_new = tokens.len();
            segment_words(text, range, tokens);
            join_compounds(text, tokens, first_new);
        };
        let mut tokens = Vec::new();
        let mut position = 0;
        for found in inline_non_prose_as_written().captures_iter(text) {
            let kind = captures_kind(&found);
            let whole = found.get(0).unwrap().range();
            let whole = match kind {
                TokenKind::Url => trim_url_end(text, whole),
                _ => whole,
            };
            if whole.start < position || whole.is_empty() {
                continue;
            }
            prose(position..whole.start, &mut tokens);
            tokens.push(Token::new(whole.clone(), kind));
            position = whole.end;
        }
        prose(position..text.len(), &mut tokens);
        tokens
    }

    /// Pieces of letters, URLs, e-mails, phones and dates, so that random texts often hold (or
    /// almost hold) a match.
    const FRAGMENTS: &[&str] = &[
        "ответ",
        "Петров",
        "т.е.",
        "г.",
        "по-Вашему",
        "59-ФЗ",
        "2025",
        "01.12.2026",
        "12,5",
        "+7",
        "8",
        "(3412)",
        "(495)",
        "912",
        "22-33-44",
        "45",
        "67",
        "-",
        " ",
        "  ",
        "\n",
        "\r\n",
        "\u{a0}",
        "\u{2009}",
        "\u{3000}",
        "\t",
        ".",
        ",",
        ":",
        ";",
        "!",
        "?",
        "«",
        "»",
        "\"",
        "“",
        "„",
        "(",
        ")",
        "@",
        "info",
        "mail",
        "a.b",
        "https://",
        "http://",
        "ftp://",
        "www.",
        "WWW.",
        "x",
        ".ru",
        ".RU",
        ".рф",
        ".РФ",
        ".ſu",
        ".com",
        ".online",
        ".io",
        "/",
        "/a?id=5",
        "рф",
        "—",
        "–",
        "…",
        "№",
        "٣",
        "\u{301}",
        "_",
        "'",
        "sub-domain",
        "8-800-100-20-30",
        "123",
        "4",
        "56",
        "78",
    ];

    fn texts_of_fragments() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        proptest::collection::vec(proptest::sample::select(FRAGMENTS), 0..30)
            .prop_map(|fragments| fragments.concat())
    }

    /// The one-pass tokenizer (plain pieces from bytes, key runs searched only when they may hold
    /// a match) gives exactly the tokens of its definition.
    #[test]
    fn tokenize_equals_its_definition() {
        use proptest::prelude::*;
        use proptest::test_runner::{Config, TestRunner};
        let alphabet: Vec<char> =
            "аяЁёрфжzZwWs09478+ .,;:!?()«»\"“”„-'‑/_@\n\r\t\u{a0}\u{2009}\u{301}\u{200d}№…—٣ſ😀"
                .chars()
                .collect();
        let chars = proptest::collection::vec(proptest::sample::select(alphabet), 0..40)
            .prop_map(|chars| chars.into_iter().collect::<String>());
        let mut runner = TestRunner::new(Config {
            cases: 3000,
            ..Config::default()
        });
        runner
            .run(&prop_oneof![texts_of_fragments(), chars], |text| {
                prop_assert_eq!(tokenize(&text), reference_tokenize(&text), "{:?}", text);
                Ok(())
            })
            .unwrap();
    }

    /// No match of the pattern starts before `next_possible_start`, nor in a text where it finds
    /// none; and the kind read from a match's text is the kind its group gives.
    #[test]
    fn searches_start_where_a_match_may_start() {
        use proptest::test_runner::{Config, TestRunner};
        for run in [
            "2025",
            "01.12.2026",
            "59-ФЗ",
            "12:30",
            "(3412)",
            "22-33-44.",
            "т.е.",
        ] {
            assert!(!may_hold_address(run.as_bytes()), "{run}");
        }
        for run in [
            "x.ru",
            "a@b",
            "http://",
            "www.1",
            "сайт.рф",
            "x.ſu",
            "WWW.x",
        ] {
            assert!(may_hold_address(run.as_bytes()), "{run}");
        }
        assert!(may_hold_phone("8 123 4 56 78"));
        assert!(!may_hold_phone("01.12.2026 г. №"));
        // The check for «www.» reads ASCII letters only: nothing else matches `w` under `(?i)`.
        let all_but_w: String = (char::MIN..=char::MAX)
            .filter(|c| !matches!(c, 'w' | 'W'))
            .collect();
        assert!(!Regex::new("(?i)w").unwrap().is_match(&all_but_w));
        // No other character matches the first letter of a top-level domain.
        let mut buffer = [0u8; 4];
        let other_starts: String = (char::MIN..=char::MAX)
            .filter(|c| !may_start_top_level_domain(c.encode_utf8(&mut buffer).as_bytes()))
            .collect();
        let domain_starts = Regex::new("(?i)r|р|s|c|o|n|g|i").unwrap();
        assert!(!domain_starts.is_match(&other_starts));
        let mut runner = TestRunner::new(Config {
            cases: 3000,
            ..Config::default()
        });
        runner
            .run(&texts_of_fragments(), |text| {
                let possible = next_possible_start(&text, 0..text.len(), may_hold_phone(&text));
                if let Some(first) = inline_non_prose().find(&text) {
                    proptest::prop_assert!(
                        possible.is_some_and(|start| start <= first.start()),
                        "{:?}",
                        text
                    );
                }
                for found in inline_non_prose().captures_iter(&text) {
                    let matched = found.get(0).unwrap().as_str();
                    if let Some(kind) = inline_kind(matched) {
                        proptest::prop_assert_eq!(kind, captures_kind(&found), "{:?}", text);
                    }
                }
                Ok(())
            })
            .unwrap();
        assert_eq!(inline_kind("www.x@y"), None);
    }

    /// The byte-level readers agree with the character definitions they stand for.
    #[test]
    fn bytes_are_read_as_their_characters() {
        let is_plain_punct = |c: char| {
            matches!(
                c,
                ',' | '.' | ';' | ':' | '!' | '?' | '(' | ')' | '«' | '»' | '"' | '“' | '”' | '„'
            )
        };
        let is_plain_core = |c: char| matches!(c, 'а'..='я' | 'А'..='Я' | 'ё' | 'Ё' | 'a'..='z' | 'A'..='Z' | '0'..='9');
        let length_if = |yes: bool, c: char| if yes { c.len_utf8() } else { 0 };
        let mut buffer = [0u8; 4];
        for c in char::MIN..=char::MAX {
            let bytes = c.encode_utf8(&mut buffer).as_bytes();
            assert_eq!(
                whitespace_len(bytes),
                length_if(c.is_whitespace(), c),
                "{c:?}"
            );
            assert_eq!(
                plain_punct_len(bytes),
                length_if(is_plain_punct(c), c),
                "{c:?}"
            );
            let core = plain_core_run(bytes);
            assert_eq!(core.len, length_if(is_plain_core(c), c), "{c:?}");
            assert_eq!(core.has_digit, c.is_ascii_digit(), "{c:?}");
            assert_eq!(
                core.has_letter,
                core.len > 0 && !c.is_ascii_digit(),
                "{c:?}"
            );
            // The byte classes let through every character that may matter.
            let class = BYTE_CLASSES[usize::from(bytes[0])];
            if whitespace_len(bytes) > 0 {
                assert!(class & MAY_START_SPACE != 0, "{c:?}");
            }
            if plain_punct_len(bytes) > 0 {
                assert!(class & MAY_START_MARK != 0, "{c:?}");
            }
            if is_key_piece(c.encode_utf8(&mut [0; 4])) {
                let classes = bytes
                    .iter()
                    .fold(0, |all, &b| all | BYTE_CLASSES[usize::from(b)]);
                assert!(classes & MAY_MAKE_KEY != 0, "{c:?}");
            }
            // A continuation byte never starts one of them.
            for i in 1..bytes.len() {
                assert_eq!(whitespace_len(&bytes[i..]), 0, "{c:?}");
                assert_eq!(plain_punct_len(&bytes[i..]), 0, "{c:?}");
                assert_eq!(plain_core_run(&bytes[i..]).len, 0, "{c:?}");
            }
        }
    }

    #[test]
    fn decimals_and_dates_are_numbers() {
        let got = pieces("12,5 кв. м до 01.12.2026");
        assert_eq!(got[0], ("12,5", TokenKind::Number));
        assert!(got.contains(&("01.12.2026", TokenKind::Number)));
    }
}
