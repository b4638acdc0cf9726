//! How a picture's renditions become `<source>` elements, and how wide each place on a
//! page draws a picture (its `sizes`), so a phone downloads a phone's picture.

use crate::links::safe_image_src;
use crate::model::Rendition;

/// Where a picture is shown. Each place's `sizes` follows the stylesheets: change one with
/// the other (`style/story.css`, `card.css`, `carousel.css`, `layout.css`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// An article's lead picture or a picture in its body: the 40rem column.
    Story,
    /// The front page's lead story: three fifths of the page from 52rem, else all of it.
    FrontLead,
    /// A card in a front's grid: columns of at least 15rem.
    Grid,
    /// A card in a carousel: 16rem, or 78% of a narrow screen.
    Carousel,
}

impl Place {
    /// The `sizes` attribute: the drawn width at each viewport width (the page's side
    /// padding is at least 1rem a side).
    pub fn sizes(self) -> &'static str {
        match self {
            Place::Story => "(min-width: 44rem) 40rem, calc(100vw - 2rem)",
            Place::FrontLead => {
                "(min-width: 72rem) 40rem, (min-width: 52rem) 58vw, calc(100vw - 2rem)"
            }
            Place::Grid => "(min-width: 72rem) 16rem, (min-width: 34rem) 24rem, calc(100vw - 2rem)",
            Place::Carousel => "(min-width: 24rem) 16rem, 78vw",
        }
    }
}

/// One `<source>`: a format and its `srcset`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    pub kind: String,
    pub srcset: String,
}

/// The widths of one format a source offers at most: more would only lengthen the page.
pub const MOST_WIDTHS: usize = 16;

/// The sources of `renditions`, one per format in the order the formats first appear (the
/// best first). A width whose URL is unsafe or holds a comma (it would split the srcset), a
/// width of 0, a `src` without exactly one `{width}`, or a type that is not an image type is
/// left out.
pub fn sources(renditions: &[Rendition]) -> Vec<Source> {
    let mut out: Vec<Source> = Vec::new();
    for r in renditions {
        if !is_image_type(&r.kind) || r.src.matches("{width}").count() != 1 {
            continue;
        }
        for &width in r.widths.iter().take(MOST_WIDTHS) {
            let src = r.src.replace("{width}", &width.to_string());
            if width == 0 || safe_image_src(&src).is_none() || src.contains(',') {
                continue;
            }
            let candidate = format!("{src} {width}w");
            match out.iter_mut().find(|s| s.kind == r.kind) {
                Some(source) => {
                    source.srcset.push_str(", ");
                    source.srcset.push_str(&candidate);
                }
                None => out.push(Source {
                    kind: r.kind.clone(),
                    srcset: candidate,
                }),
            }
        }
    }
    out
}

/// `image/webp`, `image/avif`, `image/svg+xml`: a type a `<source>` can name.
fn is_image_type(kind: &str) -> bool {
    kind.strip_prefix("image/").is_some_and(|sub| {
        !sub.is_empty()
            && sub.len() <= 32
            && sub
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "+-.".contains(c))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(kind: &str, src: &str, widths: &[u32]) -> Rendition {
        Rendition {
            kind: kind.into(),
            src: src.into(),
            widths: widths.to_vec(),
        }
    }

    #[test]
    fn renditions_become_a_source_per_format_best_first() {
        let sources = sources(&[
            r("image/avif", "a-{width}.avif", &[320]),
            r("image/webp", "a-{width}.webp", &[320, 640]),
            r(
                "image/webp",
                "https://cdn.example/a.webp?w={width}",
                &[1280],
            ),
        ]);
        assert_eq!(
            sources,
            [
                Source {
                    kind: "image/avif".into(),
                    srcset: "a-320.avif 320w".into()
                },
                Source {
                    kind: "image/webp".into(),
                    srcset:
                        "a-320.webp 320w, a-640.webp 640w, https://cdn.example/a.webp?w=1280 1280w"
                            .into()
                },
            ]
        );
    }

    #[test]
    fn unusable_renditions_and_widths_are_left_out() {
        let sources = sources(&[
            r("image/webp", "javascript:alert({width})", &[320]),
            r("image/webp", "a,{width}.webp", &[320]),
            r("image/webp", "a.webp", &[320]),
            r("image/webp", "a-{width}-{width}.webp", &[320]),
            r("text/html", "a-{width}.webp", &[320]),
            r("image/webp\" onerror=\"x", "a-{width}.webp", &[320]),
            r("image/webp", "data:image/webp;base64,{width}", &[320]),
            r("image/webp", "ok-{width}.webp", &[0, 320]),
        ]);
        assert_eq!(sources.len(), 1);
        assert_eq!(sources[0].srcset, "ok-320.webp 320w");
        let many: Vec<u32> = (1..=100).collect();
        let long = super::sources(&[r("image/webp", "a-{width}.webp", &many)]);
        assert_eq!(long[0].srcset.split(", ").count(), MOST_WIDTHS);
    }

    #[test]
    fn every_place_has_a_fallback_width() {
        for place in [Place::Story, Place::FrontLead, Place::Grid, Place::Carousel] {
            let last = place.sizes().rsplit(", ").next().unwrap_or_default();
            assert!(!last.starts_with('('), "{place:?}: {last}");
        }
    }
}
