//! One article file: its front matter and Markdown body, checked, as a contract `Article`.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use broadsheet::model::json::Decode;
use broadsheet::model::{
    is_valid_slug, parse_rfc3339, Article, Block, Image, Person, Reactions, Section, Source, Tag,
};
use serde::Deserialize;

use super::yaml::{line_of, yaml_message};
use crate::markdown::{local_image, parse_body, BodySource};
use crate::report::{Problem, Problems};

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

/// A tag's slug from its name, in any script: "Climate Change" -> "climate-change",
/// "Москва" -> "москва", "हिन्दी" -> "हिन्दी".
pub fn slugify(name: &str) -> String {
    let mut slug = String::new();
    for c in name.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() || (is_mark_like(c) && !slug.is_empty() && !slug.ends_with('-')) {
            slug.push(c);
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    slug.trim_end_matches('-').to_string()
}

/// A character that is not a letter or digit but belongs to the word it follows: the vowel
/// signs and other combining marks of Devanagari, Thai, Arabic and the like (std has no
/// general category, so: any non-ASCII character that is not white space, a control, or in a
/// punctuation or symbol block).
fn is_mark_like(c: char) -> bool {
    let punctuation = matches!(c as u32,
        0x00A0..=0x00BF | 0x00D7 | 0x00F7 | 0x2000..=0x2BFF | 0x2E00..=0x2E7F | 0x3000..=0x303F
        | 0xFE10..=0xFE1F | 0xFE30..=0xFE6F | 0xFF00..=0xFF0F | 0xFF1A..=0xFF20 | 0xFF3B..=0xFF40
        | 0xFF5B..=0xFF65 | 0x1F000..=0x1FAFF);
    !c.is_ascii() && !c.is_whitespace() && !c.is_control() && !punctuation
}

fn is_valid_id(id: &str) -> bool {
    (1..=64).contains(&id.len())
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

/// A place a picture is named: its source, file, line and field (`image.src`, `body`).
#[derive(Debug, Clone)]
pub(super) struct PictureRef {
    pub src: String,
    pub file: PathBuf,
    pub line: usize,
    pub field: &'static str,
}

/// What reading articles found besides the articles: problems; the site links and routes,
/// checked once every article is read; every picture named, made even when its article
/// has problems of its own, so a bad picture is reported with them.
#[derive(Default)]
pub(super) struct Found {
    pub problems: Problems,
    pub site_links: Vec<(PathBuf, String, usize)>,
    pub routes: HashSet<String>,
    pub pictures: Vec<PictureRef>,
}

impl Found {
    pub fn extend(&mut self, other: Found) {
        self.problems.0.extend(other.problems.0);
        self.site_links.extend(other.site_links);
        self.routes.extend(other.routes);
        self.pictures.extend(other.pictures);
    }
}

/// One article file: its front matter and body, checked. `None` when it cannot be used.
pub(super) fn read_article(
    file: &Path,
    dir: &Path,
    sections: &HashMap<String, Section>,
    found: &mut Found,
) -> Option<(Article, String)> {
    let problems = &mut found.problems;
    let text = super::yaml::read_text(file, problems)?;
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
    // Each field's line is looked up once, however many problems it has (50,000 bad tags).
    let mut lines: HashMap<String, usize> = HashMap::new();
    let mut report = |keys: &[&str], message: String| {
        let field = keys.join(".");
        let line = *lines
            .entry(field.clone())
            .or_insert_with(|| field_line(keys));
        problems.push(Problem::new(file, line, &field, message));
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
            Ok((width, height)) => {
                found.pictures.push(PictureRef {
                    src: lead.src.clone(),
                    file: file.to_path_buf(),
                    line: field_line(&["image", "src"]),
                    field: "image.src",
                });
                Some(Image {
                    src: lead.src.clone(),
                    alt,
                    width,
                    height,
                    caption: lead.caption.clone(),
                    credit: lead.credit.clone(),
                    renditions: None,
                    placeholder: None,
                })
            }
            Err(message) => {
                report(&["image", "src"], message);
                None
            }
        }
    });
    let mut tags = Vec::new();
    let mut tag_slugs = HashSet::new();
    for name in front.tags.iter().flatten() {
        let slug = slugify(name);
        if slug.is_empty() {
            report(
                &["tags"],
                format!("the tag {name:?} has no letters or digits"),
            );
        } else if tag_slugs.insert(slug.clone()) {
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
    found.routes.insert(format!("/{}/{slug}", front.section));
    found.site_links.extend(
        body.site_links
            .iter()
            .map(|(href, line)| (file.to_path_buf(), href.clone(), *line)),
    );
    found
        .pictures
        .extend(body.pictures.iter().map(|(src, line)| PictureRef {
            src: src.clone(),
            file: file.to_path_buf(),
            line: *line,
            field: "body",
        }));
    if body.blocks.len() > Block::MOST_IN_A_LIST {
        problems.push(Problem::new(
            file,
            body_first_line,
            "body",
            format!(
                "the body has {} blocks (paragraphs, headings, lists ...); the app reads at most {}: split the story",
                body.blocks.len(),
                Block::MOST_IN_A_LIST
            ),
        ));
    }
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
    use super::slugify;

    #[test]
    fn tag_names_become_slugs() {
        assert_eq!(slugify("Climate Change"), "climate-change");
        assert_eq!(slugify("  R&D / Labs "), "r-d-labs");
        assert_eq!(slugify("!!!"), "");
        // Regression: a tag only in a non-Latin script was refused as having no letters.
        assert_eq!(slugify("Москва"), "москва");
        assert_eq!(slugify("東京 2026"), "東京-2026");
        assert_eq!(slugify("القاهرة"), "القاهرة");
        assert_eq!(slugify("हिन्दी"), "हिन्दी", "vowel signs are kept");
        assert_eq!(slugify("ภาษาไทย"), "ภาษาไทย");
        assert_eq!(slugify("Москва — 2026"), "москва-2026");
        assert_eq!(slugify("«»"), "");
    }
}
