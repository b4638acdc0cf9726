//! The publisher's brand in `site.yaml`: accent colours for both colour schemes, checked for
//! WCAG AA contrast, and the favicon. The colours reach the pages as CSS custom properties in
//! a stylesheet of their own (the Content-Security-Policy allows no inline style).

use serde::Deserialize;

/// `accent:` in site.yaml: the colour of links, section labels and the current section, for
/// the light and the dark scheme (`#rgb` or `#rrggbb`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Accent {
    pub light: String,
    pub dark: String,
}

/// The backgrounds the accent is read on, per scheme: `--bg` and `--surface` of
/// `style/base.css` (a unit test keeps them equal).
const LIGHT_BACKGROUNDS: [&str; 2] = ["#fbfaf7", "#ffffff"];
const DARK_BACKGROUNDS: [&str; 2] = ["#15171a", "#1d2024"];

/// WCAG 2 AA for normal text.
pub const MIN_CONTRAST: f64 = 4.5;

/// The colour `#rgb` or `#rrggbb` as red, green and blue.
fn rgb(colour: &str) -> Option<[u8; 3]> {
    let hex = colour.strip_prefix('#')?;
    let digit = |i: usize, len: usize| u8::from_str_radix(hex.get(i..i + len)?, 16).ok();
    match hex.len() {
        3 => Some([digit(0, 1)? * 17, digit(1, 1)? * 17, digit(2, 1)? * 17]),
        6 => Some([digit(0, 2)?, digit(2, 2)?, digit(4, 2)?]),
        _ => None,
    }
}

/// WCAG 2 relative luminance.
fn luminance([r, g, b]: [u8; 3]) -> f64 {
    let channel = |c: u8| {
        let c = f64::from(c) / 255.0;
        if c <= 0.039_28 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)
}

/// The WCAG 2 contrast ratio of two colours, from 1 to 21.
pub fn contrast(a: [u8; 3], b: [u8; 3]) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// What is wrong with the accent, as (field, message) pairs; empty when it reads well.
pub fn check_accent(accent: &Accent) -> Vec<(&'static str, String)> {
    let mut problems = Vec::new();
    for (field, colour, backgrounds, scheme) in [
        ("accent.light", &accent.light, LIGHT_BACKGROUNDS, "light"),
        ("accent.dark", &accent.dark, DARK_BACKGROUNDS, "dark"),
    ] {
        let Some(value) = rgb(colour) else {
            problems.push((
                field,
                format!("{colour:?} is not a colour: write #rgb or #rrggbb"),
            ));
            continue;
        };
        for background in backgrounds {
            let ratio = contrast(value, rgb(background).unwrap_or_default());
            if ratio < MIN_CONTRAST {
                problems.push((
                    field,
                    format!(
                        "{colour} on the {scheme} scheme's background {background} has a contrast of {ratio:.2}:1; text needs at least {MIN_CONTRAST}:1 (WCAG AA)"
                    ),
                ));
                break;
            }
        }
    }
    problems
}

/// The stylesheet that sets the accent for both schemes.
pub fn theme_css(accent: &Accent) -> String {
    format!(
        ":root {{ --accent: {light}; --accent-strong: {light}; }}\n@media (prefers-color-scheme: dark) {{ :root {{ --accent: {dark}; --accent-strong: {dark}; }} }}\n",
        light = accent.light,
        dark = accent.dark
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contrast_follows_wcag() {
        assert!((contrast([0, 0, 0], [255, 255, 255]) - 21.0).abs() < 1e-9);
        assert!((contrast([119, 119, 119], [255, 255, 255]) - 4.48).abs() < 0.01);
        assert_eq!(rgb("#1d4e89"), Some([0x1d, 0x4e, 0x89]));
        assert_eq!(rgb("#fff"), Some([255, 255, 255]));
        for bad in ["1d4e89", "#1d4e8", "#ggg", "red", "#1d4e89ff", "#ééé"] {
            assert_eq!(rgb(bad), None, "{bad}");
        }
    }

    #[test]
    fn an_unreadable_accent_is_refused_per_scheme() {
        let ours = Accent {
            light: "#1d4e89".into(),
            dark: "#8ab8ef".into(),
        };
        assert_eq!(check_accent(&ours), []);
        let pale = Accent {
            light: "#ffd400".into(),
            dark: "#1d4e89".into(),
        };
        let problems = check_accent(&pale);
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert_eq!(problems[0].0, "accent.light");
        assert!(problems[0].1.contains("light scheme"));
        assert_eq!(problems[1].0, "accent.dark");
        let typo = Accent {
            light: "#1d4e8".into(),
            dark: "navy".into(),
        };
        assert!(check_accent(&typo)
            .iter()
            .all(|(_, m)| m.contains("not a colour")));
    }

    #[test]
    fn the_backgrounds_are_those_of_the_stylesheet() {
        let css = include_str!("../../../style/base.css");
        let (light, dark) = css
            .split_once("prefers-color-scheme: dark")
            .expect("a dark scheme");
        for (part, [bg, surface]) in [(light, LIGHT_BACKGROUNDS), (dark, DARK_BACKGROUNDS)] {
            assert!(part.contains(&format!("--bg: {bg};")), "--bg {bg}");
            assert!(
                part.contains(&format!("--surface: {surface};")),
                "--surface {surface}"
            );
        }
    }
}
