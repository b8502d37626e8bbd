//! File name parts made of untrusted text (a session title, a server-given id, a project
//! name): lowercase ASCII letters, digits and `_`, runs of anything else as one `-`, never
//! empty, never `.`/`..`, no `/`, no control character, at most [`MAX_SLUG`] bytes.

/// The longest slug.
pub const MAX_SLUG: usize = 40;

/// `text` as a file name part; `fallback` (itself slugged, else `"x"`) when nothing of
/// `text` is left.
pub fn slug(text: &str, fallback: &str) -> String {
    let s = raw(text);
    if !s.is_empty() {
        return s;
    }
    match raw(fallback) {
        f if f.is_empty() => "x".to_string(),
        f => f,
    }
}

fn raw(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() || c == '_' {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
        if out.len() >= MAX_SLUG {
            break;
        }
    }
    out.trim_end_matches('-').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn slugs_are_plain_and_short() {
        assert_eq!(
            slug("Fix the  bug: ünïcode/../x", "s"),
            "fix-the-bug-n-code-x"
        );
        assert_eq!(slug("***", "ses_1"), "ses_1");
        assert_eq!(slug("../..", "/"), "x");
        assert_eq!(slug("../../etc/passwd", ""), "etc-passwd");
        assert!(slug(&"a".repeat(100), "").len() <= MAX_SLUG);
    }

    proptest! {
        #[test]
        fn a_slug_is_always_a_safe_file_name_part(text in any::<String>(), fallback in any::<String>()) {
            let s = slug(&text, &fallback);
            prop_assert!(!s.is_empty());
            prop_assert!(!s.contains('/'));
            prop_assert!(!s.contains(".."));
            prop_assert!(s != ".");
            prop_assert!(!s.chars().any(|c| c.is_control()));
            prop_assert!(s.len() <= MAX_SLUG);
            prop_assert!(s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-'));
        }
    }
}
