//! Search. Every story is indexed by Pagefind, whose indexer press runs as a library: it
//! writes a chunked index (a reader's query fetches only the chunks for its words), the
//! fragments results are shown from, and Pagefind's own search library (JavaScript and a
//! wasm per language, with that language's stemmer). press adds the bridge the app loads
//! when a reader starts a search (`src/search.js`) and the words that typo tolerance
//! corrects to. All of it goes to `pagefind/`; no page loads any of it until a search.
//!
//! What is indexed, with Pagefind's weights (a word in the headline counts as seven in the
//! body): headline 7, standfirst 3, tags 3, body 1. Each story's card (the contract's `Card`)
//! is its result's metadata; its section is the filter, its publication time the sort key.
//! Stories go in newest first: Pagefind keeps that order among equal scores, so newer
//! stories win ties.

use std::collections::BTreeMap;
use std::path::Path;

use broadsheet::model::{Article, Block, Card};

use crate::render::esc;

/// The folder of the site that holds the search index and its code.
pub const FOLDER: &str = "pagefind";
/// The bridge between the app and Pagefind's library, written into [`FOLDER`].
pub const BRIDGE_FILE: &str = "broadsheet-search.js";
const BRIDGE: &str = include_str!("../../src/search.js");
/// The words stories are headlined and tagged with, for typo tolerance (`src/search/typo.rs`).
pub const WORDS_FILE: &str = "broadsheet-words.json";
/// At most this many distinct words go into [`WORDS_FILE`], the most used first.
const MAX_WORDS: usize = 20_000;

/// The page Pagefind indexes for `article`: only the story's own words, weighted by place,
/// and its card as metadata. Nothing of the site's chrome (menus, carousels) is indexed.
pub fn document(language: &str, article: &Article) -> String {
    let mut body = String::new();
    for block in &article.body {
        let text = match block {
            Block::Paragraph { text, content } => match (text, content) {
                (Some(text), _) => text.clone(),
                (None, Some(runs)) => runs.iter().map(|r| r.text.as_str()).collect(),
                (None, None) => continue,
            },
            Block::Heading { text, .. } => text.clone(),
            Block::Quote { text, cite } => match cite {
                Some(cite) => format!("{text} {cite}"),
                None => text.clone(),
            },
            Block::List { items, .. } => items.join(". "),
            Block::Image(image) => match &image.caption {
                Some(caption) => caption.clone(),
                None => continue,
            },
            Block::Separator | Block::Unknown => continue,
        };
        body.push_str(&format!("<p>{}</p>", esc(&text)));
    }
    let standfirst = article
        .standfirst
        .as_deref()
        .map(|s| format!("<p data-pagefind-weight=\"3\">{}</p>", esc(s)))
        .unwrap_or_default();
    let tags = article
        .tags
        .as_deref()
        .unwrap_or_default()
        .iter()
        .map(|t| esc(&t.name))
        .collect::<Vec<_>>()
        .join(", ");
    let tags = if tags.is_empty() {
        String::new()
    } else {
        format!("<p data-pagefind-weight=\"3\">{tags}</p>")
    };
    let card = Card {
        // The placeholder (up to 2 KB) would be in every result's fragment; results paint
        // their pictures small and lazily without it.
        image: article.image.clone().map(|mut image| {
            image.placeholder = None;
            image
        }),
        views: None,
        ..crate::api::card(article)
    };
    let card = serde_json::to_string(&card).unwrap_or_default();
    format!(
        "<html lang=\"{lang}\"><body><main data-pagefind-body><h1 data-pagefind-weight=\"7\">{title}</h1>{standfirst}{body}{tags}</main>\
         <div data-pagefind-meta=\"card\">{card}</div>\
         <div data-pagefind-filter=\"section\">{section}</div>\
         <div data-pagefind-sort=\"published\">{published}</div></body></html>",
        lang = esc(language),
        title = esc(&article.title),
        card = esc(&card),
        section = esc(&article.section.slug),
        published = esc(&article.published_at),
    )
}

/// The distinct words of the headlines and tags, lower case, most used first: what a
/// mistyped query word is corrected to.
pub fn words(articles: &[Article]) -> Vec<String> {
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for article in articles {
        let tags = article.tags.as_deref().unwrap_or_default();
        let texts =
            std::iter::once(article.title.as_str()).chain(tags.iter().map(|t| t.name.as_str()));
        for text in texts {
            // Related's words (lower case, no stop words), less the short ones, which are too
            // close to too many others to correct to, and numbers.
            for word in crate::related::words(text) {
                if word.chars().count() >= 4 && !word.chars().all(char::is_numeric) {
                    *counts.entry(word.into_owned()).or_default() += 1;
                }
            }
        }
    }
    let mut words: Vec<(String, usize)> = counts.into_iter().collect();
    words.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    words.truncate(MAX_WORDS);
    words.into_iter().map(|(w, _)| w).collect()
}

/// Indexes `articles` (newest first) and writes `pagefind/` into the site at `site_dir`.
/// Returns how many files it wrote.
pub fn write(site_dir: &Path, language: &str, articles: &[Article]) -> Result<usize, String> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .map_err(|e| format!("search index: {e}"))?;
    let files = runtime.block_on(async {
        let config = pagefind::options::PagefindServiceConfig::builder()
            .force_language(language.to_string())
            .build();
        let mut index = pagefind::api::PagefindIndex::new(Some(config))
            .map_err(|e| format!("search index: {e}"))?;
        for article in articles {
            index
                .add_html_file(None, Some(article.path()), document(language, article))
                .await
                .map_err(|e| format!("search index, {}: {e}", article.path()))?;
        }
        index
            .get_files()
            .await
            .map_err(|e| format!("search index: {e}"))
    })?;
    let folder = site_dir.join(FOLDER);
    let mut written = 0;
    for file in files {
        let name = file.filename.strip_prefix(FOLDER).unwrap_or(&file.filename);
        // Only the search library and the index: not Pagefind's ready-made interfaces, nor
        // its worker (the bridge searches on the main thread).
        let file_name = name.file_name().map(|n| n.to_string_lossy().to_string());
        let keep = file_name.is_some_and(|n| {
            n == "pagefind.js"
                || n == "pagefind-entry.json"
                || [
                    ".pf_meta",
                    ".pf_index",
                    ".pf_fragment",
                    ".pf_filter",
                    ".pagefind",
                ]
                .iter()
                .any(|ext| n.ends_with(ext))
        });
        if !keep {
            continue;
        }
        let target = folder.join(name);
        if let Some(dir) = target.parent() {
            std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        }
        std::fs::write(&target, &file.contents)
            .map_err(|e| format!("{}: {e}", target.display()))?;
        written += 1;
    }
    let words = serde_json::to_string(&words(articles)).unwrap_or_else(|_| "[]".into());
    for (name, text) in [(BRIDGE_FILE, BRIDGE), (WORDS_FILE, words.as_str())] {
        std::fs::write(folder.join(name), text).map_err(|e| format!("{FOLDER}/{name}: {e}"))?;
        written += 1;
    }
    Ok(written)
}
