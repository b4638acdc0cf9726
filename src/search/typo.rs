//! A little typo tolerance. Pagefind matches words, their stems and prefixes; a word it cannot
//! find it matches by ever shorter starts ("light" for "lighthuose"), which finds the wrong
//! stories first. So when a query finds nothing, or one of its words matched nothing as
//! typed ([`mistyped`]), each word that is neither a word of the site's headlines and tags
//! nor the start of one is corrected to the closest such word (one edit for short words, two
//! for long ones; an edit is a letter added, dropped, changed or two swapped), the most used
//! first. The page then shows the corrected search and says so.

use super::marks::{capitalised, lower};

/// `query` with its mistyped words corrected against `words` (lower case, most used first),
/// or `None` when nothing was corrected.
pub fn correct(query: &str, words: &[String]) -> Option<String> {
    let mut changed = false;
    let corrected: Vec<String> = query
        .split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(|word| {
            let lowered = lower(word);
            let length = lowered.chars().count();
            if length < 4 || words.iter().any(|w| w.starts_with(&lowered)) {
                return word.to_string();
            }
            let allowed = if length <= 6 { 1 } else { 2 };
            let best = words
                .iter()
                .filter(|w| w.chars().count().abs_diff(length) <= allowed)
                .map(|w| (distance(&lowered, w), w))
                .filter(|(d, _)| *d <= allowed)
                .min_by_key(|(d, _)| *d);
            match best {
                Some((_, w)) => {
                    changed = true;
                    // "Pegl" becomes "Pegel", not "pegel".
                    if word
                        .chars()
                        .next()
                        .is_some_and(|c| lower(&c.to_string()) != c.to_string())
                    {
                        capitalised(w)
                    } else {
                        w.clone()
                    }
                }
                None => word.to_string(),
            }
        })
        .collect();
    changed.then(|| corrected.join(" "))
}

/// Whether a word of the query (lower case, four letters or more) matched nothing as typed:
/// no word the index marked in the results (`marked`, lower case) shares all but its last two
/// letters (stems differ in their endings: "harbours" finds "harbour", "voting" "votes").
pub fn mistyped(words: &[String], marked: &[String]) -> bool {
    words.iter().any(|word| {
        let length = word.chars().count();
        length >= 4
            && !marked.iter().any(|m| {
                word.chars()
                    .zip(m.chars())
                    .take_while(|(a, b)| a == b)
                    .count()
                    >= length - 2
            })
    })
}

/// The optimal-string-alignment distance: insertions, deletions, substitutions and swaps
/// of neighbours, each one edit.
pub fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut rows = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in rows.iter_mut().enumerate() {
        row[0] = i;
    }
    rows[0] = (0..=b.len()).collect();
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (rows[i - 1][j] + 1)
                .min(rows[i][j - 1] + 1)
                .min(rows[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(rows[i - 2][j - 2] + 1);
            }
            rows[i][j] = best;
        }
    }
    rows[a.len()][b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words() -> Vec<String> {
        [
            "harbour",
            "council",
            "lighthouse",
            "harbours",
            "tides",
            "ferry",
        ]
        .map(String::from)
        .to_vec()
    }

    #[test]
    fn mistyped_words_are_corrected_and_good_ones_kept() {
        assert_eq!(correct("harbuor", &words()).as_deref(), Some("harbour"));
        assert_eq!(
            correct("lighthuose counsil", &words()).as_deref(),
            Some("lighthouse council")
        );
        assert_eq!(
            correct("Ferry harbuor", &words()).as_deref(),
            Some("Ferry harbour")
        );
        // Known words, prefixes being typed, short words and far-off words are left alone.
        assert_eq!(correct("fery", &words()).as_deref(), Some("ferry"));
        for query in ["harbour", "ligh", "tid", "zzzzzzzz", "", "   "] {
            assert_eq!(correct(query, &words()), None, "{query}");
        }
    }

    #[test]
    fn a_word_matched_only_by_a_shorter_start_is_mistyped() {
        let marked = |list: &[&str]| list.iter().map(|w| w.to_string()).collect::<Vec<_>>();
        let words = |q: &str| crate::search::marks::query_words(q);
        // Pagefind matched "light" for "lighthuose".
        assert!(mistyped(
            &words("lighthuose"),
            &marked(&["light", "lights"])
        ));
        assert!(mistyped(
            &words("harbour lighthuose"),
            &marked(&["harbour", "light"])
        ));
        // Stems, prefixes being typed and short words are matches.
        assert!(!mistyped(&words("harbours"), &marked(&["harbour"])));
        assert!(!mistyped(&words("lightho"), &marked(&["lighthouse"])));
        assert!(!mistyped(&words("vote"), &marked(&["voted"])));
        assert!(!mistyped(&words("sea"), &marked(&[])));
    }

    #[test]
    fn distance_counts_edits() {
        assert_eq!(distance("harbour", "harbour"), 0);
        assert_eq!(distance("harbuor", "harbour"), 1);
        assert_eq!(distance("harbor", "harbour"), 1);
        assert_eq!(distance("hrbr", "harbour"), 3);
        assert_eq!(distance("", "abc"), 3);
        assert_eq!(distance("東京", "京東"), 1);
    }
}
