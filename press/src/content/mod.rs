//! Reading the content folder: the site file, sections, stats, editors' picks and one
//! Markdown file per article. Every problem is collected with its file, line and field.

mod article;
mod yaml;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use broadsheet::model::{is_valid_slug, Article, Section};
use serde::Deserialize;

use crate::report::{Problem, Problems};

use article::{read_article, ReadPart, SiteLinks};
use yaml::{line_of, nth_item_line, read_yaml};

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
        };
        assert_eq!(site.base_path(), "/paper");
        assert_eq!(site.absolute("/news"), "https://example.org/paper/news");
    }
}
