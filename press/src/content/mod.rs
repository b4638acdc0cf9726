//! Reading the content folder: the site file, sections, stats, editors' picks and one
//! Markdown file per article. Every problem is collected with its file, line and field.

mod article;
pub mod brand;
pub mod messages;
mod yaml;

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};

use broadsheet::model::json::MAX_COUNT;
use broadsheet::model::{is_valid_slug, Article, Block, Section};
use serde::Deserialize;

use crate::report::{Problem, Problems};

use article::{read_article, Found, PictureRef};
use yaml::{item_lines, key_lines, line_of, read_yaml};

/// Stories in Recommendation (editors' picks) at most, like Related: picks are rendered into
/// every article page, so 1,000 of them made 956 KB pages.
pub const MAX_PICKS: usize = 12;

/// `content/site.yaml`: who publishes the site and where it lives.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Site {
    /// The publication's name, e.g. "Broadsheet".
    pub name: String,
    /// Absolute URL the site is served from, e.g. `https://news.example/` or
    /// `https://example.org/paper/`. Canonical links, feeds and sitemaps are built on it.
    pub url: String,
    /// One sentence about the publication (feeds, the front page's link previews).
    pub description: String,
    /// BCP 47 language of the content, e.g. `en-GB`.
    #[serde(default = "default_language")]
    pub language: String,
    /// IANA time zone times are shown in, e.g. `Europe/London`.
    #[serde(default = "default_zone")]
    pub time_zone: String,
    /// How page titles are written: `{headline}` is the page's own title, `{site}` the name,
    /// e.g. `{headline} | {site}`. Default `{headline} — {site}`.
    #[serde(default = "default_title_pattern")]
    pub title_pattern: String,
    /// The accent colour for each colour scheme; the app's own when absent.
    #[serde(default)]
    pub accent: Option<brand::Accent>,
    /// The site's icon, a picture under `images/` (`.svg` or `.png`); the app's when absent.
    #[serde(default)]
    pub favicon: Option<String>,
    /// The masthead as a picture under `images/`; the name is its text alternative.
    #[serde(default)]
    pub logo: Option<String>,
    /// The engagement service the site uses for live counts: a path on the site's own host
    /// (`/engage`, the default deployment) or an `https://` URL. Static counts when absent.
    #[serde(default)]
    pub reactions: Option<String>,
    /// The logo's source and size, once read from its file.
    #[serde(skip)]
    pub masthead: Option<broadsheet::config::Logo>,
    /// The site's words: the catalogue for its language with `messages.yaml` laid over it.
    #[serde(skip, default = "broadsheet::messages::Catalogue::english")]
    pub messages: std::sync::Arc<broadsheet::messages::Catalogue>,
}

fn default_title_pattern() -> String {
    broadsheet::config::DEFAULT_TITLE_PATTERN.into()
}

fn default_language() -> String {
    "en-GB".into()
}
fn default_zone() -> String {
    "UTC".into()
}

impl Site {
    /// The URL without its trailing slash, e.g. `https://example.org/paper`.
    pub fn root(&self) -> &str {
        self.url.trim_end_matches('/')
    }

    /// The path the site lives under, without a trailing slash (`""` or `/paper`).
    pub fn base_path(&self) -> String {
        let after_scheme = self.root().split_once("://").map_or("", |(_, rest)| rest);
        after_scheme
            .find('/')
            .map_or(String::new(), |i| after_scheme[i..].to_string())
    }

    /// An absolute URL for a site path (`/news/x`).
    pub fn absolute(&self, path: &str) -> String {
        format!("{}{path}", self.root())
    }
}

/// The whole content of a site, checked.
#[derive(Debug, Clone)]
pub struct Content {
    pub site: Site,
    pub sections: Vec<Section>,
    /// Every article, with views and reactions from the stats file; `related` is empty
    /// until [`crate::related`] fills it.
    pub articles: Vec<Article>,
    /// The words of each article (headline, standfirst, body) for Related.
    pub texts: Vec<String>,
    pub picks: Vec<String>,
    /// The Markdown file of each article, by slug.
    pub files: HashMap<String, PathBuf>,
    /// The files of `images/` to publish (the only ones): where each is, and its site path.
    pub images: Vec<(PathBuf, String)>,
    /// Pictures encoded in this run, and pictures found in the cache.
    pub pictures_encoded: usize,
    pub pictures_reused: usize,
    /// What is not wrong but worth the publisher's eye (words left in English).
    pub warnings: Vec<Problem>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Stat {
    #[serde(default)]
    views: u64,
    #[serde(default)]
    very_good: u64,
}

/// Reads and checks everything under `dir`, and makes its pictures (`pictures` says where
/// they are cached). Either the whole content, or every problem.
pub fn load(dir: &Path, pictures: &crate::pictures::Options) -> Result<Content, Vec<Problem>> {
    let mut problems = Problems::default();

    let site_file = dir.join("site.yaml");
    let mut site: Option<Site> = read_yaml(&site_file, &mut problems);
    if let Some(site) = &mut site {
        let text = read(&site_file);
        let mut report = |field: &str, message: String| {
            let keys: Vec<&str> = field.split('.').collect();
            problems.push(Problem::new(
                &site_file,
                line_of(&text, 1, &keys),
                field,
                message,
            ));
        };
        if let Err(message) = check_url(&site.url) {
            report("url", message);
        }
        if site.time_zone.parse::<chrono_tz::Tz>().is_err() {
            report(
                "time_zone",
                format!(
                    "{:?} is not an IANA time zone, e.g. Europe/London or America/New_York",
                    site.time_zone
                ),
            );
        }
        if !site.title_pattern.contains("{headline}") {
            report(
                "title_pattern",
                format!(
                    "{:?} has no {{headline}}: every page would have the same title",
                    site.title_pattern
                ),
            );
        }
        if site.name.trim().is_empty() {
            report("name", "is empty".into());
        }
        for (field, message) in site.accent.iter().flat_map(brand::check_accent) {
            report(field, message);
        }
        if let Some(logo) = &site.logo {
            match crate::markdown::local_image(logo, dir) {
                Ok((width, height)) => {
                    site.masthead = Some(broadsheet::config::Logo {
                        src: logo.clone(),
                        width,
                        height,
                    });
                }
                Err(message) => report("logo", message),
            }
        }
        if let Some(icon) = &site.favicon {
            let is_icon = icon.ends_with(".svg") || icon.ends_with(".png");
            match crate::markdown::local_image(icon, dir) {
                Err(message) => report("favicon", message),
                Ok(_) if !is_icon => report(
                    "favicon",
                    format!("{icon:?} must be an .svg or .png picture"),
                ),
                Ok(_) => {}
            }
        }
        if let Some(reactions) = &site.reactions {
            if let Err(message) = check_reactions(reactions) {
                report("reactions", message);
            }
        }
        if !is_language_tag(&site.language) {
            report(
                "language",
                format!(
                    "{:?} is not a BCP 47 language tag, e.g. en-GB, de or pt-BR",
                    site.language
                ),
            );
        }
    }

    let mut warnings = Vec::new();
    if let Some(site) = &mut site {
        if is_language_tag(&site.language) {
            site.messages = std::sync::Arc::new(messages::load(
                dir,
                &site.language,
                &mut problems,
                &mut warnings,
            ));
        }
    }

    let sections_file = dir.join("sections.yaml");
    let sections: Vec<Section> = read_yaml(&sections_file, &mut problems).unwrap_or_default();
    let sections_text = read(&sections_file);
    let mut section_names = HashMap::new();
    let section_lines = item_lines(&sections_text);
    for (i, section) in sections.iter().enumerate() {
        let line = section_lines.get(i).copied().unwrap_or(0);
        if !is_valid_slug(&section.slug) {
            problems.push(Problem::new(
                &sections_file,
                line,
                &format!("[{i}].slug"),
                format!(
                    "{:?} is not a slug (a-z, 0-9 and single hyphens)",
                    section.slug
                ),
            ));
        }
        if broadsheet::model::RESERVED_SLUGS.contains(&section.slug.as_str()) {
            problems.push(Problem::new(
                &sections_file,
                line,
                &format!("[{i}].slug"),
                format!(
                    "{:?} is the name of one of the site's own folders or pages ({}): choose another",
                    section.slug,
                    broadsheet::model::RESERVED_SLUGS.join(", ")
                ),
            ));
        }
        if section.name.trim().is_empty() {
            problems.push(Problem::new(
                &sections_file,
                line,
                &format!("[{i}].name"),
                "is empty",
            ));
        }
        if section_names
            .insert(section.slug.clone(), section.clone())
            .is_some()
        {
            problems.push(Problem::new(
                &sections_file,
                line,
                &format!("[{i}].slug"),
                format!("the section {:?} is listed twice", section.slug),
            ));
        }
    }
    if sections.is_empty() && !sections_text.is_empty() {
        problems.push(Problem::new(
            &sections_file,
            0,
            "sections",
            "lists no sections",
        ));
    }

    let mut files = Vec::new();
    let articles_dir = dir.join("articles");
    if std::fs::symlink_metadata(&articles_dir).is_ok_and(|m| m.file_type().is_symlink()) {
        problems.push(Problem::new(
            &articles_dir,
            0,
            "file",
            "is a symbolic link: press publishes only files that are inside the content folder",
        ));
    } else {
        collect_markdown(&articles_dir, &mut files, &mut problems);
    }
    files.sort();
    if files.is_empty() {
        problems.push(Problem::new(
            &dir.join("articles"),
            0,
            "articles",
            "no Markdown articles (*.md) found",
        ));
    }

    let mut articles = Vec::new();
    let mut texts = Vec::new();
    let mut paths: HashMap<String, PathBuf> = HashMap::new();
    let mut ids: HashMap<String, PathBuf> = HashMap::new();
    let mut stems: HashMap<String, PathBuf> = HashMap::new();
    let mut unique = Vec::with_capacity(files.len());
    for file in &files {
        let stem = file
            .file_stem()
            .map(|s| s.to_string_lossy().to_string())
            .unwrap_or_default();
        if let Some(first) = stems.get(&stem) {
            problems.push(Problem::new(
                file,
                0,
                "slug",
                format!("the slug {stem:?} is already used by {}", first.display()),
            ));
            continue;
        }
        stems.insert(stem, file.clone());
        unique.push(file.clone());
    }
    // Reading and checking each file is independent: split across the machine's cores, then
    // merged in file order.
    let threads = std::thread::available_parallelism()
        .map_or(1, |t| t.get())
        .clamp(1, 8);
    let chunk = unique.len().div_ceil(threads).max(1);
    let section_names_ref = &section_names;
    type Part = (Vec<Option<(Article, String)>>, Found);
    let parts: Vec<Part> = std::thread::scope(|scope| {
        let handles: Vec<_> = unique
            .chunks(chunk)
            .map(|files| {
                scope.spawn(move || {
                    let mut found = Found::default();
                    let read: Vec<_> = files
                        .iter()
                        .map(|file| read_article(file, dir, section_names_ref, &mut found))
                        .collect();
                    (read, found)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    });
    let mut read_files = Vec::with_capacity(unique.len());
    // Every page an article file would make, valid or not, so a link to a story with a
    // problem of its own is not reported twice.
    let mut found = Found::default();
    for (read, part) in parts {
        read_files.extend(read);
        found.extend(part);
    }
    let Found {
        problems: read_problems,
        site_links,
        mut routes,
        pictures: mut picture_refs,
    } = found;
    problems.0.extend(read_problems.0);
    for (file, done) in unique.iter().zip(read_files) {
        let Some((article, text)) = done else {
            continue;
        };
        if let Some(first) = paths.get(&article.slug) {
            problems.push(Problem::new(
                file,
                0,
                "slug",
                format!(
                    "the slug {:?} is already used by {}",
                    article.slug,
                    first.display()
                ),
            ));
            continue;
        }
        if let Some(first) = ids.get(&article.id) {
            let text = read(file);
            problems.push(Problem::new(
                file,
                line_of(&text, 1, &["id"]),
                "id",
                format!(
                    "the id {:?} is already used by {}",
                    article.id,
                    first.display()
                ),
            ));
            continue;
        }
        paths.insert(article.slug.clone(), file.clone());
        ids.insert(article.id.clone(), file.clone());
        articles.push(article);
        texts.push(text);
    }

    // Links to pages of this site must lead somewhere.
    routes.extend(
        section_names
            .keys()
            .map(|s| format!("/{s}"))
            .chain(["/".to_string()]),
    );
    for (file, href, line) in site_links {
        let path = href.split(['#', '?']).next().unwrap_or_default();
        let path = if path.len() > 1 {
            path.trim_end_matches('/')
        } else {
            path
        };
        if !routes.contains(path) && !path.starts_with("/images/") {
            problems.push(Problem::new(
                &file,
                line,
                "body",
                format!("the link {href:?} leads to no page of this site"),
            ));
        }
    }

    // Stats: views and reactions per slug.
    let stats_file = dir.join("stats.yaml");
    let stats: BTreeMap<String, Stat> = if stats_file.exists() {
        read_yaml(&stats_file, &mut problems).unwrap_or_default()
    } else {
        BTreeMap::new()
    };
    let stats_lines = key_lines(&read(&stats_file));
    for (slug, stat) in &stats {
        let line = stats_lines.get(slug).copied().unwrap_or(0);
        // Compared with every article file, so one with problems of its own is not also
        // reported here as missing.
        if !stems.contains_key(slug) {
            problems.push(Problem::new(
                &stats_file,
                line,
                slug,
                "no article has this slug",
            ));
        }
        for (field, value) in [("views", stat.views), ("very_good", stat.very_good)] {
            if value > MAX_COUNT {
                problems.push(Problem::new(
                    &stats_file,
                    line,
                    &format!("{slug}.{field}"),
                    format!("{value} is more than {MAX_COUNT}, the largest count a browser reads exactly"),
                ));
            }
        }
    }
    for article in &mut articles {
        if let Some(stat) = stats.get(&article.slug) {
            article.views = stat.views;
            article.reactions.very_good = stat.very_good;
        }
    }

    // Editors' picks.
    let picks_file = dir.join("picks.yaml");
    let picks: Vec<String> = if picks_file.exists() {
        read_yaml(&picks_file, &mut problems).unwrap_or_default()
    } else {
        Vec::new()
    };
    let pick_lines = item_lines(&read(&picks_file));
    let mut seen = HashSet::new();
    for (i, slug) in picks.iter().enumerate() {
        let line = pick_lines.get(i).copied().unwrap_or(0);
        let message = if !stems.contains_key(slug) {
            format!("no article has the slug {slug:?}")
        } else if !seen.insert(slug) {
            format!("{slug:?} is picked twice")
        } else if i == MAX_PICKS {
            format!(
                "Recommendation shows at most {MAX_PICKS} stories; this is pick {} of {}",
                i + 1,
                picks.len()
            )
        } else {
            continue;
        };
        problems.push(Problem::new(&picks_file, line, &format!("[{i}]"), message));
    }

    // Pictures are made even when the content has problems, so a bad one is reported with
    // the rest; what was made waits in the cache for the next run.
    let site_text = read(&site_file);
    let mut site_pictures = BTreeSet::new();
    for (field, src) in site
        .iter()
        .flat_map(|s| [("favicon", &s.favicon), ("logo", &s.logo)])
    {
        if let Some(src) = src.as_ref().filter(|_| site.is_some()) {
            site_pictures.insert(src.clone());
            picture_refs.push(PictureRef {
                src: src.clone(),
                file: site_file.clone(),
                line: line_of(&site_text, 1, &[field]),
                field,
            });
        }
    }
    let story_pictures: BTreeSet<String> = picture_refs
        .iter()
        .filter(|r| r.file != site_file)
        .map(|r| r.src.clone())
        .collect();
    let outcome = crate::pictures::publish(dir, &story_pictures, &site_pictures, pictures);
    let at_each_ref = |src: &str, message: &str| -> Vec<Problem> {
        picture_refs
            .iter()
            .filter(|r| r.src == src)
            .map(|r| {
                Problem::new(
                    &r.file,
                    r.line,
                    r.field,
                    format!("the image {src:?}: {message}"),
                )
            })
            .collect()
    };
    for (src, message) in &outcome.failed {
        problems.0.extend(at_each_ref(src, message));
    }
    for (src, message) in &outcome.warnings {
        warnings.extend(at_each_ref(src, message));
    }
    for article in &mut articles {
        show_published(article, &outcome.published);
    }
    if let Some(site) = &mut site {
        if let Some(logo) = site.logo.as_ref().and_then(|l| outcome.as_is.get(l)) {
            if let Some(masthead) = &mut site.masthead {
                masthead.src.clone_from(&logo.src);
            }
        }
        if let Some(icon) = site.favicon.as_ref().and_then(|f| outcome.as_is.get(f)) {
            site.favicon = Some(icon.src.clone());
        }
    }
    let images = outcome.files;
    match site {
        Some(site) if problems.is_empty() => Ok(Content {
            site,
            sections,
            articles,
            texts,
            picks,
            files: paths,
            images,
            pictures_encoded: outcome.encoded,
            pictures_reused: outcome.reused,
            warnings,
        }),
        _ => Err(problems.sorted()),
    }
}

fn read(file: &Path) -> String {
    std::fs::read_to_string(file).unwrap_or_default()
}

/// Every article picture as published: its fallback, size, renditions and placeholder.
fn show_published(article: &mut Article, published: &BTreeMap<String, crate::pictures::Published>) {
    let images = article
        .image
        .iter_mut()
        .chain(article.body.iter_mut().filter_map(|b| match b {
            Block::Image(image) => Some(image),
            _ => None,
        }));
    for image in images {
        if let Some(p) = published.get(&image.src) {
            image.src.clone_from(&p.src);
            image.width = p.width;
            image.height = p.height;
            image.renditions = (!p.renditions.is_empty()).then(|| p.renditions.clone());
            image.placeholder.clone_from(&p.placeholder);
        }
    }
}

/// The Markdown files under `dir`. A symbolic link is a problem, never followed: it could
/// publish a file from anywhere on the machine.
fn collect_markdown(dir: &Path, out: &mut Vec<PathBuf>, problems: &mut Problems) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_symlink() {
            problems.push(Problem::new(
                &path,
                0,
                "file",
                "is a symbolic link: press publishes only files that are inside the content folder",
            ));
        } else if kind.is_dir() {
            collect_markdown(&path, out, problems);
        } else if path.extension().is_some_and(|e| e == "md") {
            out.push(path);
        }
    }
}

/// A well-formed BCP 47 language tag (RFC 5646): a language of 2-3 or 5-8 letters, then an
/// optional script (4 letters), region (2 letters or 3 digits), variants, extensions (a
/// singleton and its subtags) and private use (`x-...`). `en-GB`, `zh-Hant-TW`, `es-419`.
fn is_language_tag(tag: &str) -> bool {
    let parts: Vec<&str> = tag.split('-').collect();
    let alpha = |s: &str, n: std::ops::RangeInclusive<usize>| {
        n.contains(&s.len()) && s.chars().all(|c| c.is_ascii_alphabetic())
    };
    let Some((language, rest)) = parts.split_first() else {
        return false;
    };
    if !(alpha(language, 2..=3) || alpha(language, 5..=8)) {
        return false;
    }
    let mut i = 0;
    if rest.get(i).is_some_and(|s| alpha(s, 4..=4)) {
        i += 1;
    }
    if rest
        .get(i)
        .is_some_and(|s| alpha(s, 2..=2) || (s.len() == 3 && s.chars().all(|c| c.is_ascii_digit())))
    {
        i += 1;
    }
    let mut after_singleton = false;
    for part in &rest[i..] {
        let alnum = part.chars().all(|c| c.is_ascii_alphanumeric());
        if !alnum || part.is_empty() || part.len() > 8 {
            return false;
        }
        if part.len() == 1 {
            if after_singleton {
                return false;
            }
            after_singleton = true;
        } else if after_singleton {
            after_singleton = false;
        } else if !(part.len() >= 5
            || (part.len() == 4 && part.starts_with(|c: char| c.is_ascii_digit())))
        {
            return false;
        }
    }
    !after_singleton
}

/// Why `url` cannot be the site's URL, if it cannot. It ends up in `<base href>`, canonical
/// links, feeds, robots.txt, `_headers` and `nginx.conf`, so only a plain absolute http(s) URL
/// passes, with a path of RFC 3986 unreserved characters (letters, digits, `-._~`) and `/`:
/// no whitespace, quotes, `;`, `{`, `$`, `:` (a `_headers` placeholder) or `%XX` (nginx
/// compares decoded paths with its locations, so an encoded base path would match none).
/// A reactions service address: a plain path on this host or a checked absolute URL; it goes
/// into a meta tag and the Content-Security-Policy.
pub fn check_reactions(reactions: &str) -> Result<(), String> {
    if reactions.starts_with('/') && !reactions.starts_with("//") {
        let plain = reactions
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "/-_.~".contains(c));
        return if plain && !reactions.contains("..") {
            Ok(())
        } else {
            Err(format!(
                "{reactions:?}: a path may hold only letters, digits, - _ . ~ and /"
            ))
        };
    }
    check_url(reactions)
}

pub fn check_url(url: &str) -> Result<(), String> {
    let example = "e.g. https://news.example/ or https://example.org/paper/";
    let parsed = url::Url::parse(url)
        .map_err(|e| format!("{url:?} is not an absolute URL ({e}): {example}"))?;
    if !matches!(parsed.scheme(), "https" | "http") || !url.contains("://") {
        return Err(format!("{url:?} must start with https:// or http://"));
    }
    if parsed.query().is_some() || parsed.fragment().is_some() || url.contains(['?', '#']) {
        return Err(format!("{url:?} must have no query (?) or fragment (#)"));
    }
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err(format!("{url:?} must not hold a user name or password"));
    }
    let in_path = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_' | '~' | '/');
    let in_host = |c: char| in_path(c) || matches!(c, ':' | '[' | ']');
    let host_end = url.find("://").map_or(0, |i| i + 3);
    let path_start = url[host_end..]
        .find('/')
        .map_or(url.len(), |i| host_end + i);
    let bad = url[..path_start]
        .chars()
        .find(|&c| !in_host(c))
        .or_else(|| url[path_start..].chars().find(|&c| !in_path(c)));
    if let Some(bad) = bad {
        return Err(format!(
            "{url:?} has {bad:?}: a site URL's path may hold only letters, digits, - . _ ~ and / ({example})"
        ));
    }
    // The text must be what the parser read: no normalised-away `..`, no default port.
    let plain = parsed.as_str().trim_end_matches('/') == url.trim_end_matches('/');
    if !plain || parsed.path().split('/').any(|s| s == "." || s == "..") {
        return Err(format!(
            "{url:?} is not written plainly: write it as {:?}",
            parsed.as_str()
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_base_path_comes_from_the_site_url() {
        let site = Site {
            name: "x".into(),
            url: "https://example.org/paper/".into(),
            description: String::new(),
            language: default_language(),
            time_zone: default_zone(),
            title_pattern: default_title_pattern(),
            accent: None,
            favicon: None,
            logo: None,
            masthead: None,
            reactions: None,
            messages: broadsheet::messages::Catalogue::english(),
        };
        assert_eq!(site.base_path(), "/paper");
        assert_eq!(site.absolute("/news"), "https://example.org/paper/news");
    }

    #[test]
    fn language_tags_are_well_formed_bcp_47() {
        for ok in [
            "en",
            "en-GB",
            "de",
            "pt-BR",
            "zh-Hant-TW",
            "es-419",
            "sl-rozaj",
            "de-DE-1996",
            "en-US-x-house",
            "ar",
        ] {
            assert!(is_language_tag(ok), "{ok}");
        }
        for bad in [
            "",
            "e",
            "englishes",
            "en_GB",
            "en-",
            "en--GB",
            "en-x",
            "123",
            "en-GB-x",
            "en-a-b",
            "en-GB-abc",
            "ja JP",
        ] {
            assert!(!is_language_tag(bad), "{bad:?}");
        }
    }

    #[test]
    fn a_site_url_is_a_plain_http_url_with_a_safe_path() {
        for ok in [
            "https://news.example/",
            "https://news.example",
            "http://127.0.0.1:8080/",
            "https://example.org/paper/",
            "https://[::1]:8443/a-b_c.d~e/",
        ] {
            assert_eq!(check_url(ok), Ok(()), "{ok}");
        }
        // Regression: a folded YAML value (trailing newline) and a value that added a
        // `_headers` rule reached <base href>, robots.txt, _headers and nginx.conf.
        for bad in [
            "https://news.example/\n",
            "https://news.example/paper\n/*\n  Access-Control-Allow-Origin: *",
            "https://news.example/a b/",
            "https://news.example/a;b/",
            "https://news.example/{a}/",
            "https://news.example/$uri/",
            "https://example.org/caf%C3%A9/",
            "https://example.org/:paper/",
            "https://news.example/\"x/",
            "https://news.example/?q=1",
            "https://news.example/#top",
            "https://user:pw@news.example/",
            "https://news.example/a/../b/",
            "https://news.example:443/",
            "ftp://news.example/",
            "javascript://news.example/",
            "news.example",
            "/paper/",
            "",
        ] {
            assert!(check_url(bad).is_err(), "{bad:?} passed");
        }
    }
}
