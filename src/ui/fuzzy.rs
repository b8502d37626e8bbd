//! Fuzzy matching and ranking of candidates (commands, paths, models, sessions) against
//! a typed query, with the byte positions of the matched characters for highlighting.
//!
//! Built on `nucleo-matcher` (the matcher of helix). Ranking: higher score first (the
//! score rewards matches at the start, after word boundaries such as `/`, `_`, `-`, `.`,
//! space and camelCase humps, and consecutive letters), then a candidate that starts with
//! the query, then the shorter candidate, then the caller's order. Case is ignored unless
//! the query holds an upper-case letter ("smart case"). Words of the query separated by
//! spaces must all match, in any order; no other character is special (`!`, `^`, `$` are
//! plain letters, so a path holding them can be found).
//!
//! Pure and synchronous: the owner decides when to run it (off the input path for big
//! lists). `benches/fuzzy.rs` times 50,000 paths.

use nucleo_matcher::pattern::{AtomKind, CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config, Matcher, Utf32Str};
use unicode_segmentation::UnicodeSegmentation;

/// What the candidates are: paths get path-aware boundary bonuses (`/` separates words).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Kind {
    /// Commands, model names, titles: words separated by spaces and punctuation.
    #[default]
    Words,
    /// File paths.
    Paths,
}

/// One candidate that matched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FuzzyMatch {
    /// Index of the candidate in the slice given to [`Fuzzy::rank`].
    pub index: usize,
    /// Higher is better (0 for an empty query).
    pub score: u32,
    /// Byte offsets (into the candidate) of the first byte of every matched character,
    /// ascending, without duplicates. Empty for an empty query, and for matches beyond
    /// the `highlight` count of [`Fuzzy::rank`].
    pub positions: Vec<usize>,
}

/// The result of ranking: the best matches first, and how many matched in all.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Ranked {
    pub matches: Vec<FuzzyMatch>,
    /// Candidates that matched (`matches.len()` unless a `limit` cut the list).
    pub total: usize,
}

/// A reusable matcher (it holds scratch memory: keep one per picker).
pub struct Fuzzy {
    matcher: Matcher,
    buf: Vec<char>,
    indices: Vec<u32>,
}

impl std::fmt::Debug for Fuzzy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Fuzzy")
    }
}

impl Fuzzy {
    pub fn new(kind: Kind) -> Fuzzy {
        let mut config = match kind {
            Kind::Words => Config::DEFAULT,
            Kind::Paths => Config::DEFAULT.match_paths(),
        };
        config.prefer_prefix = true;
        Fuzzy {
            matcher: Matcher::new(config),
            buf: Vec::new(),
            indices: Vec::new(),
        }
    }

    /// Ranks `candidates` against `query`, best first. At most `limit` matches are
    /// returned (`total` counts them all); the first `highlight` of them carry their
    /// match positions (computing positions costs more than scoring). An empty or blank
    /// query matches everything, in the caller's order.
    pub fn rank<S: AsRef<str>>(
        &mut self,
        query: &str,
        candidates: &[S],
        limit: usize,
        highlight: usize,
    ) -> Ranked {
        let pattern = pattern(query);
        if pattern.atoms.is_empty() {
            let matches = (0..candidates.len().min(limit))
                .map(|index| FuzzyMatch {
                    index,
                    score: 0,
                    positions: Vec::new(),
                })
                .collect();
            return Ranked {
                matches,
                total: candidates.len(),
            };
        }
        let folded = query.trim().to_lowercase();
        let mut scored: Vec<(u32, bool, usize, usize)> = Vec::new();
        for (i, c) in candidates.iter().enumerate() {
            let c = c.as_ref();
            if let Some(score) = pattern.score(Utf32Str::new(c, &mut self.buf), &mut self.matcher) {
                let prefix = starts_with_folded(c, &folded);
                scored.push((score, prefix, c.len(), i));
            }
        }
        let total = scored.len();
        let order = |a: &(u32, bool, usize, usize), b: &(u32, bool, usize, usize)| {
            b.0.cmp(&a.0)
                .then(b.1.cmp(&a.1))
                .then(a.2.cmp(&b.2))
                .then(a.3.cmp(&b.3))
        };
        if scored.len() > limit {
            // Only the best `limit` need sorting.
            scored.select_nth_unstable_by(limit, order);
            scored.truncate(limit);
        }
        scored.sort_unstable_by(order);
        let matches = scored
            .into_iter()
            .enumerate()
            .map(|(rank, (score, _, _, index))| FuzzyMatch {
                index,
                score,
                positions: if rank < highlight {
                    self.positions(&pattern, candidates[index].as_ref())
                } else {
                    Vec::new()
                },
            })
            .collect();
        Ranked { matches, total }
    }

    /// Matches one candidate: its score and match positions, or `None`.
    pub fn match_one(&mut self, query: &str, candidate: &str) -> Option<FuzzyMatch> {
        let pattern = pattern(query);
        let score = pattern.score(Utf32Str::new(candidate, &mut self.buf), &mut self.matcher)?;
        Some(FuzzyMatch {
            index: 0,
            score,
            positions: self.positions(&pattern, candidate),
        })
    }

    fn positions(&mut self, pattern: &Pattern, text: &str) -> Vec<usize> {
        self.indices.clear();
        let hay = Utf32Str::new(text, &mut self.buf);
        if pattern
            .indices(hay, &mut self.matcher, &mut self.indices)
            .is_none()
        {
            return Vec::new();
        }
        self.indices.sort_unstable();
        self.indices.dedup();
        to_byte_offsets(text, &self.indices)
    }
}

fn pattern(query: &str) -> Pattern {
    Pattern::new(
        query,
        CaseMatching::Smart,
        Normalization::Smart,
        AtomKind::Fuzzy,
    )
}

/// Whether `text` starts with `folded` (already lower-case), ignoring case.
fn starts_with_folded(text: &str, folded: &str) -> bool {
    if folded.is_empty() {
        return false;
    }
    let mut t = text.chars().flat_map(char::to_lowercase);
    folded.chars().all(|q| t.next() == Some(q))
}

/// The matcher counts ASCII text in bytes and other text in grapheme clusters: turns
/// its sorted indices into byte offsets of `text`.
fn to_byte_offsets(text: &str, indices: &[u32]) -> Vec<usize> {
    if text.is_ascii() {
        return indices.iter().map(|&i| i as usize).collect();
    }
    let mut out = Vec::with_capacity(indices.len());
    let mut want = indices.iter().peekable();
    for (n, (byte, _)) in text.grapheme_indices(true).enumerate() {
        match want.peek() {
            Some(&&i) if i as usize == n => {
                out.push(byte);
                want.next();
            }
            Some(_) => {}
            None => break,
        }
    }
    out
}

/// Ranks with a fresh matcher (convenience for small lists).
pub fn rank<S: AsRef<str>>(kind: Kind, query: &str, candidates: &[S]) -> Ranked {
    Fuzzy::new(kind).rank(query, candidates, usize::MAX, usize::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels<'a>(r: &Ranked, c: &[&'a str]) -> Vec<&'a str> {
        r.matches.iter().map(|m| c[m.index]).collect()
    }

    #[test]
    fn empty_query_keeps_every_candidate_in_order() {
        let c = ["b", "a", "c"];
        let r = rank(Kind::Words, "  ", &c);
        assert_eq!(labels(&r, &c), ["b", "a", "c"]);
        assert_eq!(r.total, 3);
        assert!(r.matches.iter().all(|m| m.positions.is_empty()));
    }

    #[test]
    fn prefix_beats_a_match_inside_a_word() {
        let c = ["compact", "unrevert", "undo"];
        let r = rank(Kind::Words, "un", &c);
        assert_eq!(labels(&r, &c), ["undo", "unrevert"]);
    }

    #[test]
    fn word_boundary_beats_letters_scattered_inside_words() {
        let c = ["src/ui/amenu.rs", "src/main.rs"];
        let r = rank(Kind::Paths, "main", &c);
        assert_eq!(labels(&r, &c)[0], "src/main.rs");
        let c = ["acclimate", "command_list_model"];
        let r = rank(Kind::Words, "clm", &c);
        assert_eq!(labels(&r, &c)[0], "command_list_model");
    }

    #[test]
    fn equal_matches_prefer_the_shorter_candidate() {
        let c = ["models-recent", "models", "modelsx"];
        let r = rank(Kind::Words, "models", &c);
        assert_eq!(labels(&r, &c), ["models", "modelsx", "models-recent"]);
    }

    #[test]
    fn positions_are_byte_offsets_of_the_matched_letters() {
        let m = Fuzzy::new(Kind::Paths)
            .match_one("mr", "src/main.rs")
            .expect("matches");
        assert_eq!(m.positions, [4, 9]);
        // Non-ASCII text before the match: offsets stay on char boundaries.
        let text = "é/ß/main";
        let m = Fuzzy::new(Kind::Paths).match_one("ma", text).unwrap();
        assert_eq!(&text[m.positions[0]..m.positions[1]], "m");
        assert_eq!(&text[m.positions[1]..m.positions[1] + 1], "a");
    }

    #[test]
    fn every_word_of_the_query_must_match_and_symbols_are_plain() {
        let c = ["src/ui/picker.rs", "src/ui/fuzzy.rs", "!notes.md"];
        let r = rank(Kind::Paths, "ui pick", &c);
        assert_eq!(labels(&r, &c), ["src/ui/picker.rs"]);
        let r = rank(Kind::Paths, "!no", &c);
        assert_eq!(labels(&r, &c), ["!notes.md"]);
    }

    #[test]
    fn smart_case() {
        let c = ["readme", "README"];
        assert_eq!(rank(Kind::Words, "read", &c).total, 2);
        let r = rank(Kind::Words, "READ", &c);
        assert_eq!(labels(&r, &c), ["README"]);
    }

    #[test]
    fn limit_keeps_the_best_and_counts_the_rest() {
        let c: Vec<String> = (0..100).map(|i| format!("file{i:03}.rs")).collect();
        let mut f = Fuzzy::new(Kind::Paths);
        let r = f.rank("file00", &c, 5, 2);
        // file000..file009, and file010, file020.. (the second 0 further on).
        assert_eq!(r.total, 19);
        assert_eq!(r.matches.len(), 5);
        assert_eq!(c[r.matches[0].index], "file000.rs");
        assert!(!r.matches[1].positions.is_empty());
        assert!(r.matches[2].positions.is_empty());
    }

    #[test]
    fn no_match() {
        let r = rank(Kind::Words, "zzz", &["abc"]);
        assert_eq!(r, Ranked::default());
    }
}
