//! The first view of a pre-rendered page. Most readers open one story from a link, read it
//! and leave: such a page needs none of the app. press's pages load the island
//! (`src/island.js`, which works the reaction button, the read count and the carousels) and
//! not the app; trunk's loader of the app becomes a function the island calls
//! (`window.__broadsheetApp`) when the reader shows intent to navigate. The not-found page,
//! which the app must render for whatever address it is served at, keeps the app's loader.
//!
//! The stylesheets are written into every page (`inline_css`): a page then paints from its
//! own bytes, with no request before it, as the best hand-written page of a story would.

/// trunk's module script that starts the app: `import init, * as bindings from
/// './assets/x.js'; const wasm = await init({ module_or_path: './assets/x_bg.wasm' }); ...`.
struct Loader {
    /// Where the script is in the page.
    start: usize,
    end: usize,
    js: String,
    wasm: String,
}

fn quoted_after<'a>(text: &'a str, marker: &str) -> Option<&'a str> {
    let rest = &text[text.find(marker)? + marker.len()..];
    let quote = rest.chars().next().filter(|q| *q == '\'' || *q == '"')?;
    let rest = &rest[1..];
    Some(&rest[..rest.find(quote)?])
}

fn find_loader(html: &str) -> Option<Loader> {
    let mut from = 0;
    while let Some(at) = html[from..].find("<script type=\"module\">") {
        let start = from + at;
        let end = start + html[start..].find("</script>")? + "</script>".len();
        let body = &html[start..end];
        if let (Some(js), Some(wasm)) = (
            quoted_after(body, " from "),
            quoted_after(body, "module_or_path: "),
        ) {
            return Some(Loader {
                start,
                end,
                js: js.to_string(),
                wasm: wasm.to_string(),
            });
        }
        from = end;
    }
    None
}

/// Whether the app build has the island (its hashed `island-*.js` script in index.html).
pub fn has_island(html: &str) -> bool {
    html.contains("/island-") && html.contains(".js\"")
}

/// `html` (the app's index.html) with the app fetched only when the island asks for it: its
/// loader becomes `window.__broadsheetApp`, and its preloads go. `None` when the build has no
/// island or no loader press recognises, so the page starts the app as before.
pub fn lazy_app(html: &str) -> Option<String> {
    if !has_island(html) {
        return None;
    }
    let loader = find_loader(html)?;
    let safe = |s: &str| {
        s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '/' | '-' | '_'))
    };
    if !safe(&loader.js) || !safe(&loader.wasm) {
        return None;
    }
    let lazy = format!(
        "<script>window.__broadsheetApp = function () {{ if (window.__broadsheetWarm) window.__broadsheetWarm(); return import(\"{js}\").then(function (app) {{ return app.default({{ module_or_path: \"{wasm}\" }}); }}); }};</script>",
        js = loader.js,
        wasm = loader.wasm
    );
    let mut out = format!("{}{lazy}{}", &html[..loader.start], &html[loader.end..]);
    // Tells index.html's inline script to leave the browser's Intl data cold until then.
    let tag = out.find("<html")?;
    let tag_end = tag + out[tag..].find('>')?;
    out.insert_str(tag_end, " data-app-on-intent");
    // The app's preloads: its JS (modulepreload) and wasm (preload).
    for target in [&loader.js, &loader.wasm] {
        while let Some(link) = link_to(&out, target) {
            out.replace_range(link, "");
        }
    }
    Some(out)
}

/// The span of a `<link ...>` element whose `href` is `target`.
fn link_to(html: &str, target: &str) -> Option<std::ops::Range<usize>> {
    let href = format!("href=\"{target}\"");
    let at = html.find(&href)?;
    let start = html[..at].rfind("<link")?;
    let end = at + html[at..].find('>')? + 1;
    Some(start..end)
}

/// `html` with its stylesheets (`<link rel="stylesheet" href="./assets/x.css" ...>`, read by
/// `read`) and `extra` CSS after them written into one `<style>` where the first link was.
/// A stylesheet that cannot be read, or that could close the element, stays a link.
pub fn inline_css(
    html: &str,
    read: impl Fn(&str) -> Option<String>,
    extra: Option<&str>,
) -> String {
    let mut out = String::with_capacity(html.len());
    let mut css = String::new();
    let mut at = None;
    let mut rest = html;
    while let Some(start) = rest.find("<link rel=\"stylesheet\" href=\"") {
        let Some(len) = rest[start..].find('>') else {
            break;
        };
        let tag = &rest[start..start + len + 1];
        let href = &tag["<link rel=\"stylesheet\" href=\"".len()..];
        let href = &href[..href.find('"').unwrap_or(0)];
        out.push_str(&rest[..start]);
        match read(href).filter(|text| !text.to_ascii_lowercase().contains("</style")) {
            Some(text) => {
                at.get_or_insert(out.len());
                css.push_str(text.trim());
                css.push('\n');
            }
            None => out.push_str(tag),
        }
        rest = &rest[start + len + 1..];
    }
    out.push_str(rest);
    if let Some(extra) = extra.filter(|e| !e.to_ascii_lowercase().contains("</style")) {
        css.push_str(extra.trim());
        css.push('\n');
    }
    let style = format!("<style>{css}</style>");
    match at {
        Some(at) => out.insert_str(at, &style),
        None if !css.is_empty() => {
            if let Some(head_end) = out.find("</head>") {
                out.insert_str(head_end, &style);
            }
        }
        None => {}
    }
    out
}

/// How the site's language writes a count, for the island (`<script id="broadsheet-numbers">`):
/// its ten digits, a sixteen-digit number as ICU4X writes it ("1,234,567,890,123,456", or
/// "12,34,56,78,90,12,3456" in Hindi, "١٬٢٣٤..." in Arabic) and the fewest digits that get a
/// separator (4; 5 in Spanish or Polish; 0 for none). The browser's `Intl.NumberFormat`
/// writes the same text, but making the first one costs a phone about 50 ms of main thread
/// (measured: 48-57 ms on the 4x-slowed profile, against 2 ms for `Intl.PluralRules`),
/// a long task in a first view whose whole script otherwise runs in a few.
pub fn number_shapes(language: &str) -> String {
    let config = broadsheet::config::Config {
        locale: language.to_string(),
        ..Default::default()
    };
    let number = |n: u64| broadsheet::format::number(&config, n);
    let digits: String = (0..10).map(number).collect();
    let grouped = |n: u64| number(n).chars().count() > n.to_string().len();
    let min = if grouped(1_000) {
        4
    } else if grouped(10_000) {
        5
    } else {
        0
    };
    serde_json::json!({ "digits": digits, "sample": number(1_234_567_890_123_456), "min": min })
        .to_string()
}

#[cfg(test)]
mod tests {
    #[test]
    fn number_shapes_follow_the_language() {
        let shapes = |l: &str| -> serde_json::Value {
            serde_json::from_str(&super::number_shapes(l)).expect("JSON")
        };
        let en = shapes("en-GB");
        assert_eq!(en["digits"], "0123456789");
        assert_eq!(en["sample"], "1,234,567,890,123,456");
        assert_eq!(en["min"], 4);
        assert_eq!(shapes("de-DE")["sample"], "1.234.567.890.123.456");
        assert_eq!(shapes("es-ES")["min"], 5);
        assert_eq!(shapes("ar-EG")["digits"], "٠١٢٣٤٥٦٧٨٩");
        assert_eq!(shapes("hi-IN")["sample"], "1,23,45,67,89,01,23,456");
    }

    use super::*;

    const INDEX: &str = r#"<!doctype html><html lang="en"><head><script src="./assets/island-0123456789abcdef.js" type="module"></script>
<script type="module">
import init, * as bindings from './assets/app-0123456789abcdef.js';
const wasm = await init({ module_or_path: './assets/app-0123456789abcdef_bg.wasm' });
window.wasmBindings = bindings;
</script>
<link rel="modulepreload" href="./assets/app-0123456789abcdef.js" crossorigin="anonymous"><link rel="preload" fetchpriority="low" href="./assets/app-0123456789abcdef_bg.wasm" as="fetch"></head>"#;

    #[test]
    fn the_app_is_loaded_only_when_the_island_asks() {
        let lazy = lazy_app(INDEX).expect("a lazy page");
        assert!(lazy.contains(
            r#"<script>window.__broadsheetApp = function () { if (window.__broadsheetWarm) window.__broadsheetWarm(); return import("./assets/app-0123456789abcdef.js").then(function (app) { return app.default({ module_or_path: "./assets/app-0123456789abcdef_bg.wasm" }); }); };</script>"#
        ), "{lazy}");
        assert!(
            !lazy.contains("modulepreload") && !lazy.contains("rel=\"preload\""),
            "{lazy}"
        );
        assert!(!lazy.contains("await init"), "{lazy}");
        assert!(lazy.contains("island-0123456789abcdef.js"));
        assert!(
            lazy.contains("<html lang=\"en\" data-app-on-intent>"),
            "{lazy}"
        );
    }

    #[test]
    fn stylesheets_are_written_into_the_page_in_order() {
        let html = r#"<head><link rel="stylesheet" href="./assets/a.css" integrity="x"/>
<link rel="icon" href="i.svg" /><link rel="stylesheet" href="./assets/b.css" /><link rel="stylesheet" href="./assets/evil.css" /></head>"#;
        let read = |href: &str| match href {
            "./assets/a.css" => Some("a{}".to_string()),
            "./assets/b.css" => Some("b{}".to_string()),
            "./assets/evil.css" => Some("x{}</style><script>".to_string()),
            _ => None,
        };
        let out = inline_css(html, read, Some(":root{--accent:red}"));
        assert_eq!(
            out,
            "<head><style>a{}\nb{}\n:root{--accent:red}\n</style>\n<link rel=\"icon\" href=\"i.svg\" /><link rel=\"stylesheet\" href=\"./assets/evil.css\" /></head>"
        );
    }

    #[test]
    fn without_an_island_or_a_loader_the_page_starts_the_app_as_before() {
        assert_eq!(lazy_app(&INDEX.replace("island-", "other-")), None);
        assert_eq!(lazy_app(&INDEX.replace("module_or_path", "path")), None);
        // A name press would not write into a script unchanged.
        assert_eq!(
            lazy_app(&INDEX.replace("app-0123456789abcdef_bg", "a\"b")),
            None
        );
    }
}
