//! Nothing panics on any content: arbitrary front matter and Markdown, written to a real
//! content folder, either build or are reported as problems.

use std::path::Path;

use proptest::prelude::*;

const SITE: &str = "name: \"P\"\nurl: \"https://p.example/\"\ndescription: \"d\"\n";
const SECTIONS: &str = "- slug: \"news\"\n  name: \"News\"\n";

fn markdownish() -> impl Strategy<Value = String> {
    let pieces = prop::collection::vec(
        prop_oneof![
            Just("# ".to_string()),
            Just("## ".to_string()),
            Just("> ".to_string()),
            Just("- ".to_string()),
            Just("1. ".to_string()),
            Just("---".to_string()),
            Just("\n".to_string()),
            Just("\n\n".to_string()),
            Just("*".to_string()),
            Just("**".to_string()),
            Just("[a](".to_string()),
            Just(")".to_string()),
            Just("![".to_string()),
            Just("](images/x.svg \"c\")".to_string()),
            Just("<b>".to_string()),
            Just("```".to_string()),
            Just("    ".to_string()),
            Just("javascript:".to_string()),
            Just("/news/".to_string()),
            Just("— ".to_string()),
            "[a-zA-Z0-9 ]{0,12}",
            "\\PC{0,6}",
        ],
        0..40,
    );
    pieces.prop_map(|p| p.concat())
}

fn front_matter() -> impl Strategy<Value = String> {
    let lines = prop::collection::vec(
        prop_oneof![
            Just("title: \"T\"".to_string()),
            Just("section: \"news\"".to_string()),
            Just("section: news".to_string()),
            Just("published: \"2026-11-01T00:00:00Z\"".to_string()),
            Just("published: 2026-13-45".to_string()),
            Just("updated: \"x\"".to_string()),
            Just("image:\n  src: \"images/x.svg\"".to_string()),
            Just("  alt: \"\"".to_string()),
            Just("tags: [\"a\", \"!!\"]".to_string()),
            Just("byline:\n  - name: \"\"".to_string()),
            Just("source: {name: \"s\", url: \"ftp://x\"}".to_string()),
            Just("id: \"../x\"".to_string()),
            Just("- - -".to_string()),
            Just(": :".to_string()),
            Just("\t".to_string()),
            "\\PC{0,20}",
        ],
        0..10,
    );
    lines.prop_map(|l| l.join("\n"))
}

fn run(dir: &Path, front: &str, body: &str, name: &str) {
    let content = dir.join("content");
    let _ = std::fs::remove_dir_all(&content);
    std::fs::create_dir_all(content.join("articles")).expect("mkdir");
    std::fs::create_dir_all(content.join("images")).expect("mkdir");
    std::fs::write(
        content.join("images/x.svg"),
        "<svg width=\"4\" height=\"3\"></svg>",
    )
    .expect("svg");
    std::fs::write(content.join("site.yaml"), SITE).expect("site");
    std::fs::write(content.join("sections.yaml"), SECTIONS).expect("sections");
    std::fs::write(
        content.join("articles").join(name),
        format!("---\n{front}\n---\n{body}"),
    )
    .expect("md");
    // Either the content loads or it is reported; a panic fails the property.
    let pictures = press::pictures::Options {
        cache: content.join(".press-cache"),
        jobs: 1,
    };
    match press::content::load(&content, &pictures) {
        Ok(loaded) => {
            let articles = press::api::finish(&loaded);
            let files = press::api::files(&loaded, &articles);
            assert!(files.contains_key("sections.json"));
        }
        Err(problems) => assert!(!problems.is_empty()),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn any_front_matter_and_markdown_is_built_or_reported(front in front_matter(), body in markdownish(), name in "[a-zA-Z0-9_-]{1,10}") {
        let dir = std::env::temp_dir().join(format!("press-prop-{}", std::process::id()));
        run(&dir, &front, &body, &format!("{name}.md"));
    }

    #[test]
    fn any_markdown_body_parses_without_panic(body in markdownish()) {
        let mut problems = press::report::Problems::default();
        let source = press::markdown::BodySource {
            file: Path::new("x.md"),
            first_line: 1,
            content_dir: Path::new("/nonexistent"),
        };
        let _ = press::markdown::parse_body(&body, &source, &mut problems);
    }
}
