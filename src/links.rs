//! Which URLs from content may become links or image sources. Anything else is shown as
//! plain text (links) or not loaded (images).

/// A path on this site. Browsers drop tabs and newlines from URLs and read a backslash as `/`, so
/// `/\t/evil.example` would lead to another host: no whitespace or control characters at all.
fn is_site_path(url: &str) -> bool {
    url.starts_with('/')
        && !url.starts_with("//")
        && !url.starts_with("/\\")
        && !url.chars().any(|c| c.is_whitespace() || c.is_control())
}

fn has_scheme(url: &str, scheme: &str) -> bool {
    url.len() > scheme.len()
        && url
            .get(..scheme.len())
            .is_some_and(|start| start.eq_ignore_ascii_case(scheme))
}

/// A link target the contract allows: `http(s)://...` or a site path starting with `/`.
pub fn safe_href(href: &str) -> Option<&str> {
    (has_scheme(href, "https://") || has_scheme(href, "http://") || is_site_path(href))
        .then_some(href)
}

/// An image source the contract allows: `https://...` or a relative URL (no scheme).
pub fn safe_image_src(src: &str) -> Option<&str> {
    let relative = !src.is_empty()
        && !src.starts_with("//")
        && !src.starts_with("/\\")
        && !src.starts_with('\\')
        && src.chars().all(|c| !c.is_control() && c != ' ')
        && !src.split('/').next().unwrap_or_default().contains(':');
    (has_scheme(src, "https://") || relative).then_some(src)
}

/// A placeholder the contract allows: a raster `data:image/...;base64,` picture of at most
/// [`MAX_PLACEHOLDER`] characters. (Never SVG, never anything but base64.)
pub fn safe_placeholder(url: &str) -> Option<&str> {
    let data = ["webp", "png", "jpeg", "gif", "avif"]
        .iter()
        .find_map(|kind| url.strip_prefix(&format!("data:image/{kind};base64,")))?;
    let body = data.trim_end_matches('=');
    (url.len() <= MAX_PLACEHOLDER
        && !body.is_empty()
        && data.len() - body.len() <= 2
        && body
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '+' || c == '/'))
    .then_some(url)
}

/// The longest placeholder used: press makes them under 400 characters.
pub const MAX_PLACEHOLDER: usize = 2_000;

/// Whether a link leaves the site (it then opens normally, not through the router).
pub fn is_external(href: &str) -> bool {
    !is_site_path(href)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_allow_only_http_and_site_paths() {
        for ok in [
            "https://example.org/a",
            "HTTP://example.org",
            "/science/tides",
        ] {
            assert_eq!(safe_href(ok), Some(ok));
        }
        for bad in [
            "javascript:alert(1)",
            " javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            "data:text/html,<b>x</b>",
            "//evil.example",
            "/\\evil.example",
            "/\t/evil.example",
            "/\n/evil.example",
            "/\r//evil.example",
            "/news/a b",
            "/\u{0}/x",
            "mailto:a@b",
            "science/tides",
            "https://",
            "",
        ] {
            assert_eq!(safe_href(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn images_allow_only_https_and_relative_sources() {
        for ok in [
            "https://cdn.example/a.webp",
            "/images/a.svg",
            "images/a.svg",
            "a.svg",
        ] {
            assert_eq!(safe_image_src(ok), Some(ok));
        }
        for bad in [
            "javascript:alert(1)",
            "data:image/svg+xml,<svg onload=alert(1)>",
            "http://insecure.example/a.png",
            "//evil.example/a.png",
            "/\\evil.example/a.png",
            "",
            "x y.png",
        ] {
            assert_eq!(safe_image_src(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn placeholders_are_small_raster_data_urls_only() {
        let ok = "data:image/webp;base64,UklGRkAAAABXRUJQVlA4IDQAAAA=";
        assert_eq!(safe_placeholder(ok), Some(ok));
        for bad in [
            "data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+",
            "data:text/html;base64,PHNjcmlwdD4=",
            "data:image/webp,<svg>",
            "data:image/webp;base64,",
            "data:image/webp;base64,AA\"><script>",
            "data:image/webp;base64,AA===",
            "https://example.org/a.webp",
            "javascript:alert(1)",
        ] {
            assert_eq!(safe_placeholder(bad), None, "{bad:?}");
        }
        let long = format!("data:image/png;base64,{}", "A".repeat(MAX_PLACEHOLDER));
        assert_eq!(safe_placeholder(&long), None);
    }

    #[test]
    fn site_paths_are_internal() {
        assert!(!is_external("/news/a"));
        assert!(is_external("https://example.org"));
    }
}
