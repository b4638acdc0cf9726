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

/// The sources of `renditions`, one per format in the order the formats first appear (the
/// best first). A rendition with an unsafe source, a comma in it (it would split the
/// srcset), no width or a type that is not an image type is left out.
pub fn sources(renditions: &[Rendition]) -> Vec<Source> {
    let mut out: Vec<Source> = Vec::new();
    for r in renditions {
        let usable = r.width > 0
            && is_image_type(&r.kind)
            && safe_image_src(&r.src).is_some()
            && !r.src.contains(',');
        if !usable {
            continue;
        }
        let candidate = format!("{} {}w", r.src, r.width);
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

    fn r(src: &str, kind: &str, width: u32) -> Rendition {
        Rendition {
            src: src.into(),
            kind: kind.into(),
            width,
        }
    }

    #[test]
    fn renditions_are_grouped_by_format_best_first() {
        let sources = sources(&[
            r("a-320.webp", "image/webp", 320),
            r("a-640.webp", "image/webp", 640),
            r("a-640.jpg", "image/jpeg", 640),
            r("a-1280.jpg", "image/jpeg", 1280),
        ]);
        assert_eq!(
            sources,
            [
                Source {
                    kind: "image/webp".into(),
                    srcset: "a-320.webp 320w, a-640.webp 640w".into()
                },
                Source {
                    kind: "image/jpeg".into(),
                    srcset: "a-640.jpg 640w, a-1280.jpg 1280w".into()
                },
            ]
        );
    }

    #[test]
    fn unusable_renditions_are_left_out() {
        let sources = sources(&[
            r("javascript:alert(1)", "image/webp", 320),
            r("a,b.webp", "image/webp", 320),
            r("a.webp", "image/webp", 0),
            r("a.webp", "text/html", 320),
            r("a.webp", "image/webp\" onerror=\"x", 320),
            r("data:image/webp;base64,AAAA", "image/webp", 320),
            r("ok.webp", "image/webp", 320),
        ]);
        assert_eq!(sources.len(), 1);
        assert_eq!(sources[0].srcset, "ok.webp 320w");
    }

    #[test]
    fn every_place_has_a_fallback_width() {
        for place in [Place::Story, Place::FrontLead, Place::Grid, Place::Carousel] {
            let last = place.sizes().rsplit(", ").next().unwrap_or_default();
            assert!(!last.starts_with('('), "{place:?}: {last}");
        }
    }
}
