//! Reading the content folder: the site file, sections, stats, editors' picks and one
//! Markdown file per article. Every problem is collected with its file, line and field.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use broadsheet::model::{
    is_valid_slug, parse_rfc3339, Article, Image, Person, Reactions, Section, Source, Tag,
};
use serde::Deserialize;

use crate::markdown::{local_image, parse_body, BodySource};
use crate::report::{Problem, Problems};

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
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FrontMatter {
    #[serde(default)]
    id: Option<String>,
    title: String,
    section: String,
    published: String,
    #[serde(default)]
    updated: Option<String>,
    #[serde(default)]
    dateline: Option<String>,
    #[serde(default)]
    byline: Option<Vec<Person>>,
    #[serde(default)]
    source: Option<Source>,
    #[serde(default)]
    image: Option<LeadImage>,
    #[serde(default)]
    standfirst: Option<String>,
    #[serde(default)]
    contributors: Option<String>,
    #[serde(default)]
    tags: Option<Vec<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct LeadImage {
    src: String,
    #[serde(default)]
    alt: Option<String>,
    #[serde(default)]
    caption: Option<String>,
    #[serde(default)]
    credit: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Stat {
    #[serde(default)]
    views: u64,
    #[serde(default)]
    very_good: u64,
}

/// Reads and checks everything under `dir`. Either the whole content, or every problem.
pub fn load(dir: &Path) -> Result<Content, Vec<Problem>> {
    let mut problems = Problems::default();

    let site_file = dir.join("site.yaml");
    let site: Option<Site> = read_yaml(&site_file, &mut problems);
    if let Some(site) = &site {
        if !(site.url.starts_with("https://") || site.url.starts_with("http://"))
            || site.url.contains(['?', '#', ' ', '"', '<', '>'])
        {
            problems.push(Problem::new(
                &site_file,
                line_of(&read(&site_file), 1, &["url"]),
                "url",
                "must be an absolute http(s) URL without query or fragment, e.g. https://news.example/",
            ));
        }
    }

    let sections_file = dir.join("sections.yaml");
    let sections: Vec<Section> = read_yaml(&sections_file, &mut problems).unwrap_or_default();
    let sections_text = read(&sections_file);
    let mut section_names = HashMap::new();
    for (i, section) in sections.iter().enumerate() {
        let line = nth_item_line(&sections_text, i);
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
    collect_markdown(&dir.join("articles"), &mut files);
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
    let mut site_links = Vec::new();
    // Every page an article file would make, valid or not, so a link to a story with a
    // problem of its own is not reported twice.
    let mut routes: HashSet<String> = HashSet::new();
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
    let parts: Vec<ReadPart> = std::thread::scope(|scope| {
        let handles: Vec<_> = unique
            .chunks(chunk)
            .map(|files| {
                scope.spawn(move || {
                    let mut problems = Problems::default();
                    let mut links = SiteLinks::new();
                    let mut routes = HashSet::new();
                    let read: Vec<_> = files
                        .iter()
                        .map(|file| {
                            read_article(
                                file,
                                dir,
                                section_names_ref,
                                &mut problems,
                                &mut links,
                                &mut routes,
                            )
                        })
                        .collect();
                    (read, problems, links, routes)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    });
    let mut read_files = Vec::with_capacity(unique.len());
    for (read, part_problems, links, part_routes) in parts {
        read_files.extend(read);
        problems.0.extend(part_problems.0);
        site_links.extend(links);
        routes.extend(part_routes);
    }
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
    let stats_text = read(&stats_file);
    for slug in stats.keys() {
        if !paths.contains_key(slug) {
            problems.push(Problem::new(
                &stats_file,
                line_of(&stats_text, 1, &[slug]),
                slug,
                "no article has this slug",
            ));
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
    let picks_text = read(&picks_file);
    let mut seen = HashSet::new();
    for (i, slug) in picks.iter().enumerate() {
        if !paths.contains_key(slug) {
            problems.push(Problem::new(
                &picks_file,
                nth_item_line(&picks_text, i),
                &format!("[{i}]"),
                format!("no article has the slug {slug:?}"),
            ));
        } else if !seen.insert(slug) {
            problems.push(Problem::new(
                &picks_file,
                nth_item_line(&picks_text, i),
                &format!("[{i}]"),
                format!("{slug:?} is picked twice"),
            ));
        }
    }

    match site {
        Some(site) if problems.is_empty() => Ok(Content {
            site,
            sections,
            articles,
            texts,
            picks,
            files: paths,
        }),
        _ => Err(problems.sorted()),
    }
}

fn read(file: &Path) -> String {
    std::fs::read_to_string(file).unwrap_or_default()
}

fn read_yaml<T: serde::de::DeserializeOwned>(file: &Path, problems: &mut Problems) -> Option<T> {
    let text = match std::fs::read_to_string(file) {
        Ok(text) => text,
        Err(e) => {
            problems.push(Problem::new(
                file,
                0,
                "file",
                format!("cannot be read: {e}"),
            ));
            return None;
        }
    };
    match serde_yaml::from_str(&text) {
        Ok(value) => Some(value),
        Err(e) => {
            let line = e.location().map_or(0, |l| l.line());
            problems.push(Problem::new(file, line, "yaml", yaml_message(&e)));
            None
        }
    }
}

fn yaml_message(e: &serde_yaml::Error) -> String {
    let text = e.to_string();
    // serde_yaml appends " at line L column C"; the line is reported separately.
    match text.find(" at line ") {
        Some(i) => text[..i].to_string(),
        None => text,
    }
}

fn collect_markdown(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect_markdown(&path, out);
        } else if path.extension().is_some_and(|e| e == "md") {
            out.push(path);
        }
    }
}

/// The 1-based file line of a (possibly nested) key in YAML text that starts on file line
/// `first_line`; the first line when the key is not written.
fn line_of(text: &str, first_line: usize, keys: &[&str]) -> usize {
    let mut from = 0;
    let mut line = 0;
    let lines: Vec<&str> = text.lines().collect();
    for key in keys {
        let found = lines.iter().enumerate().skip(from).find(|(_, l)| {
            let l = l.trim_start().trim_start_matches("- ").trim_start();
            l.strip_prefix(key)
                .or_else(|| l.strip_prefix(&format!("\"{key}\"")))
                .is_some_and(|rest| rest.trim_start().starts_with(':'))
        });
        match found {
            Some((i, _)) => {
                line = i;
                from = i + 1;
            }
            None => break,
        }
    }
    first_line + line
}

/// The line of the `i`th top-level `- ` item of a YAML list.
fn nth_item_line(text: &str, i: usize) -> usize {
    text.lines()
        .enumerate()
        .filter(|(_, l)| l.starts_with("- ") || *l == "-")
        .nth(i)
        .map_or(0, |(n, _)| n + 1)
}

/// A tag's slug from its name: "Climate Change" -> "climate-change".
pub fn slugify(name: &str) -> String {
    let mut slug = String::new();
    for c in name.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    slug.trim_end_matches('-').to_string()
}

fn is_valid_id(id: &str) -> bool {
    (1..=64).contains(&id.len())
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

type SiteLinks = Vec<(PathBuf, String, usize)>;

/// What one reading thread found: each file's article (if usable), problems, links, routes.
type ReadPart = (
    Vec<Option<(Article, String)>>,
    Problems,
    SiteLinks,
    HashSet<String>,
);

/// One article file: its front matter and body, checked. `None` when it cannot be used.
fn read_article(
    file: &Path,
    dir: &Path,
    sections: &HashMap<String, Section>,
    problems: &mut Problems,
    site_links: &mut SiteLinks,
    routes: &mut HashSet<String>,
) -> Option<(Article, String)> {
    let text = match std::fs::read_to_string(file) {
        Ok(text) => text,
        Err(e) => {
            problems.push(Problem::new(
                file,
                0,
                "file",
                format!("cannot be read: {e}"),
            ));
            return None;
        }
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let Some(rest) = text
        .strip_prefix("---\n")
        .or_else(|| text.strip_prefix("---\r\n"))
    else {
        problems.push(Problem::new(
            file,
            1,
            "front matter",
            "the file must start with front matter between --- lines",
        ));
        return None;
    };
    let Some(end) = rest
        .match_indices("\n---")
        .map(|(i, _)| i)
        .find(|&i| matches!(rest[i + 4..].chars().next(), None | Some('\n' | '\r')))
    else {
        problems.push(Problem::new(
            file,
            1,
            "front matter",
            "the front matter has no closing --- line",
        ));
        return None;
    };
    let front_text = &rest[..end + 1];
    let body_text = rest[end + 4..].trim_start_matches(['\r']);
    let body_text = body_text.strip_prefix('\n').unwrap_or(body_text);
    let body_first_line = 2 + front_text.matches('\n').count() + 1;
    let field_line = |keys: &[&str]| line_of(front_text, 2, keys);

    let front: FrontMatter = match serde_yaml::from_str(front_text) {
        Ok(front) => front,
        Err(e) => {
            let line = e.location().map_or(1, |l| l.line() + 1);
            problems.push(Problem::new(file, line, "front matter", yaml_message(&e)));
            return None;
        }
    };
    let before = problems.0.len();
    let slug = file
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default()
        .to_string();
    if !is_valid_slug(&slug) {
        problems.push(Problem::new(
            file,
            0,
            "slug",
            format!("the file name {slug:?} is not a slug: use a-z, 0-9 and single hyphens"),
        ));
    }
    let mut report = |keys: &[&str], message: String| {
        problems.push(Problem::new(
            file,
            field_line(keys),
            &keys.join("."),
            message,
        ));
    };

    let id = front.id.clone().unwrap_or_else(|| slug.clone());
    if !is_valid_id(&id) {
        report(
            &["id"],
            format!("{id:?} is not an id: 1 to 64 of A-Z a-z 0-9 - _ ."),
        );
    }
    if front.title.trim().is_empty() {
        report(&["title"], "is empty".into());
    }
    let section = sections.get(&front.section).cloned();
    if section.is_none() {
        let known: Vec<&str> = sections.keys().map(String::as_str).collect();
        let mut known = known;
        known.sort_unstable();
        report(
            &["section"],
            format!(
                "unknown section {:?}; sections.yaml has: {}",
                front.section,
                known.join(", ")
            ),
        );
    }
    let published = parse_rfc3339(&front.published);
    if published.is_none() {
        report(
            &["published"],
            format!(
                "{:?} is not an RFC 3339 time with an offset, e.g. 2026-11-28T09:15:00Z",
                front.published
            ),
        );
    }
    if let Some(updated) = &front.updated {
        match parse_rfc3339(updated) {
            None => report(
                &["updated"],
                format!("{updated:?} is not an RFC 3339 time with an offset"),
            ),
            Some(u) if published.is_some_and(|p| u < p) => {
                report(&["updated"], "is earlier than published".into());
            }
            Some(_) => {}
        }
    }
    if let Some(byline) = &front.byline {
        for (i, person) in byline.iter().enumerate() {
            if person.name.trim().is_empty() {
                report(&["byline"], format!("person {i} has no name"));
            }
        }
    }
    if let Some(source) = &front.source {
        if let Some(url) = &source.url {
            if !(url.starts_with("https://") || url.starts_with("http://")) {
                report(
                    &["source", "url"],
                    format!("{url:?} has an unsafe or unsupported scheme: use https://"),
                );
            }
        }
    }
    let image = front.image.as_ref().and_then(|lead| {
        let alt = lead.alt.clone().unwrap_or_default();
        if alt.trim().is_empty() {
            report(&["image", "alt"], "the lead image has no alt text".into());
        }
        match local_image(&lead.src, dir) {
            Ok((width, height)) => Some(Image {
                src: lead.src.clone(),
                alt,
                width,
                height,
                caption: lead.caption.clone(),
                credit: lead.credit.clone(),
            }),
            Err(message) => {
                report(&["image", "src"], message);
                None
            }
        }
    });
    let mut tags = Vec::new();
    for name in front.tags.iter().flatten() {
        let slug = slugify(name);
        if slug.is_empty() {
            report(
                &["tags"],
                format!("the tag {name:?} has no letters or digits"),
            );
        } else if !tags.iter().any(|t: &Tag| t.slug == slug) {
            tags.push(Tag {
                slug,
                name: name.trim().to_string(),
            });
        }
    }

    let body = parse_body(
        body_text,
        &BodySource {
            file,
            first_line: body_first_line,
            content_dir: dir,
        },
        problems,
    );
    routes.insert(format!("/{}/{slug}", front.section));
    site_links.extend(
        body.site_links
            .iter()
            .map(|(href, line)| (file.to_path_buf(), href.clone(), *line)),
    );
    if body.blocks.is_empty() && problems.0.len() == before {
        problems.push(Problem::new(
            file,
            body_first_line,
            "body",
            "the article has no body",
        ));
    }
    if problems.0.len() > before {
        return None;
    }

    let text = format!(
        "{}\n{}\n{}",
        front.title,
        front.standfirst.as_deref().unwrap_or_default(),
        body.text
    );
    let article = Article {
        id,
        slug,
        section: section?,
        title: front.title.trim().to_string(),
        standfirst: front
            .standfirst
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty()),
        published_at: front.published,
        updated_at: front.updated,
        dateline: front.dateline.filter(|s| !s.trim().is_empty()),
        byline: front.byline,
        source: front.source,
        image,
        body: body.blocks,
        contributors: front.contributors.filter(|s| !s.trim().is_empty()),
        tags: (!tags.is_empty()).then_some(tags),
        views: 0,
        reactions: Reactions::default(),
        related: Vec::new(),
    };
    Some((article, text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_found_on_their_lines_even_when_nested() {
        let yaml = "title: x\nimage:\n  src: a\n  alt: b\nsection: news\n";
        assert_eq!(line_of(yaml, 2, &["title"]), 2);
        assert_eq!(line_of(yaml, 2, &["image", "alt"]), 5);
        assert_eq!(line_of(yaml, 2, &["section"]), 6);
        assert_eq!(line_of(yaml, 2, &["missing"]), 2);
    }

    #[test]
    fn tag_names_become_slugs() {
        assert_eq!(slugify("Climate Change"), "climate-change");
        assert_eq!(slugify("  R&D / Labs "), "r-d-labs");
        assert_eq!(slugify("!!!"), "");
    }

    #[test]
    fn the_base_path_comes_from_the_site_url() {
        let site = Site {
            name: "x".into(),
            url: "https://example.org/paper/".into(),
            description: String::new(),
            language: default_language(),
            time_zone: default_zone(),
        };
        assert_eq!(site.base_path(), "/paper");
        assert_eq!(site.absolute("/news"), "https://example.org/paper/news");
    }
}
