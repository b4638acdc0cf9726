//! Pictures the content points to: they must exist, and their size is read from the file so
//! the page can reserve the right space before they load.

use std::path::Path;

/// The kinds of picture press publishes, by file extension (lower case).
pub const EXTENSIONS: &[&str] = &["avif", "gif", "jpeg", "jpg", "png", "svg", "webp"];

/// Width and height of the image at `path`, or why they cannot be read.
pub fn dimensions(path: &Path) -> Result<(u32, u32), String> {
    let is_svg = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("svg"));
    let (w, h) = if is_svg {
        let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read it: {e}"))?;
        if text.to_ascii_lowercase().contains("<script") {
            return Err("an SVG with a <script> is never published".into());
        }
        svg_dimensions(&text).ok_or_else(|| {
            "an SVG needs width and height attributes or a viewBox on its <svg> element".to_string()
        })?
    } else {
        let len = std::fs::metadata(path)
            .map_err(|e| format!("cannot read it: {e}"))?
            .len();
        if len > super::decode::MAX_FILE_BYTES {
            return Err(super::decode::PictureError::TooLarge { bytes: len }.to_string());
        }
        let extension = path
            .extension()
            .map(|e| e.to_string_lossy().to_ascii_lowercase())
            .unwrap_or_default();
        if extension != "avif" {
            let mut head = Vec::with_capacity(64);
            use std::io::Read;
            std::fs::File::open(path)
                .and_then(|f| f.take(64).read_to_end(&mut head))
                .map_err(|e| format!("cannot read it: {e}"))?;
            super::decode::format_of(&head, &extension).map_err(|e| e.to_string())?;
        }
        let size = imagesize::size(path).map_err(|e| format!("cannot read its size: {e}"))?;
        let w = u32::try_from(size.width).map_err(|_| "it is too wide".to_string())?;
        let h = u32::try_from(size.height).map_err(|_| "it is too tall".to_string())?;
        (w, h)
    };
    // Regression: an SVG 0.4 px wide rounded to 0, which the app refuses as no size.
    if w == 0 || h == 0 {
        return Err(format!(
            "it is {w} x {h} px: a picture needs at least 1 px each way"
        ));
    }
    Ok((w, h))
}

/// The size of an SVG from the `width`/`height` (in px or unitless) or the `viewBox` of
/// its root element.
pub fn svg_dimensions(text: &str) -> Option<(u32, u32)> {
    let start = text.find("<svg")?;
    let end = start + text[start..].find('>')?;
    let tag = &text[start..end];
    let number = |name: &str| -> Option<f64> {
        let value = attribute(tag, name)?;
        let value = value.trim().trim_end_matches("px");
        value
            .parse::<f64>()
            .ok()
            .filter(|v| v.is_finite() && *v > 0.0)
    };
    if let (Some(w), Some(h)) = (number("width"), number("height")) {
        return Some((w.round() as u32, h.round() as u32));
    }
    let view_box = attribute(tag, "viewBox")?;
    let parts: Vec<f64> = view_box
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|p| !p.is_empty())
        .filter_map(|p| p.parse().ok())
        .collect();
    match parts[..] {
        [_, _, w, h] if w > 0.0 && h > 0.0 && w.is_finite() && h.is_finite() => {
            Some((w.round() as u32, h.round() as u32))
        }
        _ => None,
    }
}

fn attribute<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let mut rest = tag;
    while let Some(i) = rest.find(name) {
        let before = rest[..i].chars().last();
        let after = &rest[i + name.len()..];
        let after_trim = after.trim_start();
        if before.is_some_and(char::is_whitespace) && after_trim.starts_with('=') {
            let value = after_trim[1..].trim_start();
            let quote = value.chars().next()?;
            if quote == '"' || quote == '\'' {
                let value = &value[1..];
                return value.find(quote).map(|end| &value[..end]);
            }
            return None;
        }
        rest = after;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::svg_dimensions;

    #[test]
    fn svg_size_comes_from_width_and_height_or_the_view_box() {
        assert_eq!(
            svg_dimensions(r#"<svg xmlns="x" width="1200" height="675">"#),
            Some((1200, 675))
        );
        assert_eq!(
            svg_dimensions(r#"<svg viewBox="0 0 800 450" xmlns="x">"#),
            Some((800, 450))
        );
        assert_eq!(
            svg_dimensions(r#"<svg stroke-width="2" viewBox='0,0,40,30'>"#),
            Some((40, 30))
        );
        assert_eq!(svg_dimensions(r#"<svg width="100%" height="50%">"#), None);
        assert_eq!(svg_dimensions("<svg>"), None);
        assert_eq!(svg_dimensions("no svg here"), None);
    }

    #[test]
    fn a_picture_smaller_than_a_pixel_or_with_a_script_is_refused() {
        let dir = std::env::temp_dir().join(format!("press-svg-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("mkdir");
        let tiny = dir.join("tiny.svg");
        std::fs::write(&tiny, r#"<svg width="0.4" height="10">"#).expect("write");
        assert!(super::dimensions(&tiny)
            .expect_err("0.4 px")
            .contains("at least 1 px"));
        let script = dir.join("script.svg");
        std::fs::write(
            &script,
            r#"<svg width="4" height="4"><SCRIPT>alert(1)</SCRIPT></svg>"#,
        )
        .expect("write");
        assert!(super::dimensions(&script)
            .expect_err("script")
            .contains("<script>"));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
