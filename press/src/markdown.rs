//! An article body in Markdown, turned into the contract's blocks. What the contract cannot
//! carry (raw HTML, code blocks, nested lists, images inside text) is reported, not dropped.

use std::path::Path;

use broadsheet::links::safe_href;
use broadsheet::model::{Block, Image, Inline};
use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use crate::pictures::size as images;
use crate::report::{Problem, Problems};

/// Where a body comes from, for reporting and for finding its images.
pub struct BodySource<'a> {
    pub file: &'a Path,
    /// The file line the body's first line is on.
    pub first_line: usize,
    /// The content folder image paths are relative to.
    pub content_dir: &'a Path,
}

/// A parsed body: its blocks, and the site paths it links to (checked once every article
/// is known), with their lines.
#[derive(Debug, Default)]
pub struct Body {
    pub blocks: Vec<Block>,
    pub site_links: Vec<(String, usize)>,
    /// The pictures it shows, with their lines.
    pub pictures: Vec<(String, usize)>,
    pub text: String,
}

#[derive(Default)]
struct Runs {
    runs: Vec<Inline>,
    em: u32,
    strong: u32,
    href: Option<String>,
    images: Vec<(Image, usize)>,
}

impl Runs {
    fn push(&mut self, text: &str) {
        let em = self.em > 0;
        let strong = self.strong > 0;
        if let Some(last) = self.runs.last_mut() {
            if last.em.unwrap_or(false) == em
                && last.strong.unwrap_or(false) == strong
                && last.href == self.href
            {
                last.text.push_str(text);
                return;
            }
        }
        self.runs.push(Inline {
            text: text.to_string(),
            href: self.href.clone(),
            em: em.then_some(true),
            strong: strong.then_some(true),
        });
    }

    fn plain(&self) -> String {
        let text: String = self.runs.iter().map(|r| r.text.as_str()).collect();
        collapse(&text)
    }

    fn is_blank(&self) -> bool {
        self.runs.iter().all(|r| r.text.trim().is_empty())
    }

    fn take(&mut self) -> Runs {
        std::mem::take(self)
    }
}

fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

enum Open {
    Paragraph(usize),
    Heading(u8, usize),
    Quote(Vec<String>, usize),
    List(bool, Vec<String>),
    Item,
    Image(String, String, String, usize),
    Skip,
}

/// Parses `text` (the part of the file after the front matter) into blocks. Problems go to
/// `problems`; the blocks that could be made are still returned.
pub fn parse_body(text: &str, source: &BodySource<'_>, problems: &mut Problems) -> Body {
    // Where each line starts, found once: counting newlines per problem or link was
    // quadratic (one article with 50,000 site links took 58 s).
    let line_starts: Vec<usize> = text.match_indices('\n').map(|(i, _)| i).collect();
    let line_of = |offset: usize| source.first_line + line_starts.partition_point(|&i| i < offset);
    let problem = |problems: &mut Problems, offset: usize, message: &str| {
        problems.push(Problem::new(source.file, line_of(offset), "body", message));
    };

    let mut body = Body::default();
    let mut stack: Vec<Open> = Vec::new();
    let mut runs = Runs::default();

    for (event, range) in Parser::new_ext(text, Options::empty()).into_offset_iter() {
        let at = range.start;
        if matches!(stack.last(), Some(Open::Skip)) {
            if let Event::End(TagEnd::CodeBlock | TagEnd::HtmlBlock) = event {
                stack.pop();
            }
            continue;
        }
        if let Some(Open::Image(_, _, alt, _)) = stack.last_mut() {
            match event {
                Event::Text(t) | Event::Code(t) => {
                    alt.push_str(&t);
                    continue;
                }
                Event::End(TagEnd::Image) => {}
                _ => continue,
            }
        }
        match event {
            Event::Start(Tag::Paragraph) if stack.is_empty() => {
                stack.push(Open::Paragraph(at));
            }
            Event::End(TagEnd::Paragraph) => match stack.last_mut() {
                Some(Open::Paragraph(start)) => {
                    let start = *start;
                    stack.pop();
                    let done = runs.take();
                    body.text.push_str(&done.plain());
                    body.text.push('\n');
                    if !done.images.is_empty() {
                        if done.images.len() == 1 && done.is_blank() {
                            if let Some((image, _)) = done.images.into_iter().next() {
                                body.blocks.push(Block::Image(image));
                            }
                        } else {
                            problem(problems, start, "an image must be a paragraph of its own");
                        }
                    } else if !done.is_blank() {
                        body.blocks.push(paragraph(done.runs));
                    }
                }
                Some(Open::Quote(paragraphs, _)) => {
                    let done = runs.take();
                    if !done.images.is_empty() {
                        problem(problems, at, "a quote cannot hold an image");
                    }
                    paragraphs.push(done.plain());
                }
                Some(Open::Item) => runs.push(" "),
                _ => {}
            },
            Event::Start(Tag::Heading { level, .. }) => {
                let level = match level {
                    HeadingLevel::H1 => {
                        problem(
                            problems,
                            at,
                            "a level-1 heading (#) is the headline: use title in the front matter, and ## or ### in the body",
                        );
                        2
                    }
                    HeadingLevel::H2 => 2,
                    _ => 3,
                };
                stack.push(Open::Heading(level, at));
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some(Open::Heading(level, start)) = stack.pop() {
                    let done = runs.take();
                    if !done.images.is_empty() {
                        problem(problems, start, "a heading cannot hold an image");
                    }
                    let text = done.plain();
                    if text.is_empty() {
                        problem(problems, start, "the heading is empty");
                    } else {
                        body.text.push_str(&text);
                        body.text.push('\n');
                        body.blocks.push(Block::Heading { text, level });
                    }
                }
            }
            Event::Start(Tag::BlockQuote(_)) => {
                if stack.is_empty() {
                    stack.push(Open::Quote(Vec::new(), at));
                } else {
                    problem(
                        problems,
                        at,
                        "a quote inside a quote or list is not supported",
                    );
                    stack.push(Open::Skip);
                }
            }
            Event::End(TagEnd::BlockQuote(_)) => {
                if let Some(Open::Quote(mut paragraphs, start)) = stack.pop() {
                    let cite = paragraphs.last().and_then(|last| {
                        ["— ", "– ", "-- ", "―"]
                            .iter()
                            .find_map(|dash| last.strip_prefix(dash))
                            .map(|c| c.trim().to_string())
                    });
                    if cite.is_some() {
                        paragraphs.pop();
                    }
                    let text = paragraphs.join(" ");
                    if text.trim().is_empty() {
                        problem(problems, start, "the quote is empty");
                    } else {
                        body.text.push_str(&text);
                        body.text.push('\n');
                        body.blocks.push(Block::Quote {
                            text,
                            cite: cite.filter(|c| !c.is_empty()),
                        });
                    }
                }
            }
            Event::Start(Tag::List(first)) => {
                if stack.is_empty() {
                    stack.push(Open::List(first.is_some(), Vec::new()));
                } else {
                    problem(
                        problems,
                        at,
                        "a list inside a list or quote is not supported",
                    );
                    stack.push(Open::Skip);
                }
            }
            Event::End(TagEnd::List(_)) => {
                if let Some(Open::List(ordered, items)) = stack.pop() {
                    for item in &items {
                        body.text.push_str(item);
                        body.text.push('\n');
                    }
                    body.blocks.push(Block::List { ordered, items });
                }
            }
            Event::Start(Tag::Item) => stack.push(Open::Item),
            Event::End(TagEnd::Item) => {
                if let Some(Open::Item) = stack.pop() {
                    let done = runs.take();
                    if !done.images.is_empty() {
                        problem(problems, at, "a list item cannot hold an image");
                    }
                    if let Some(Open::List(_, items)) = stack.last_mut() {
                        let text = done.plain();
                        if !text.is_empty() {
                            items.push(text);
                        }
                    }
                }
            }
            Event::Rule if stack.is_empty() => {
                body.blocks.push(Block::Separator);
            }
            Event::Start(Tag::CodeBlock(_)) => {
                problem(
                    problems,
                    at,
                    "code blocks are not part of the content contract; write the text as a paragraph",
                );
                stack.push(Open::Skip);
            }
            Event::Start(Tag::HtmlBlock) => {
                problem(
                    problems,
                    at,
                    "HTML is never published; write Markdown instead",
                );
                stack.push(Open::Skip);
            }
            Event::Html(_) | Event::InlineHtml(_) => {
                problem(
                    problems,
                    at,
                    "HTML is never published; write Markdown instead",
                );
            }
            Event::Start(Tag::Emphasis) => runs.em += 1,
            Event::End(TagEnd::Emphasis) => runs.em = runs.em.saturating_sub(1),
            Event::Start(Tag::Strong) => runs.strong += 1,
            Event::End(TagEnd::Strong) => runs.strong = runs.strong.saturating_sub(1),
            Event::Start(Tag::Link { dest_url, .. }) => {
                let url = dest_url.trim().to_string();
                if safe_href(&url).is_some() {
                    if url.starts_with('/') {
                        body.site_links.push((url.clone(), line_of(at)));
                    }
                    runs.href = Some(url);
                } else {
                    problem(
                        problems,
                        at,
                        &format!(
                            "the link {url:?} has an unsafe or unsupported scheme: links must start with https://, http:// or / (a page of this site)"
                        ),
                    );
                }
            }
            Event::End(TagEnd::Link) => runs.href = None,
            Event::Start(Tag::Image {
                dest_url, title, ..
            }) => {
                stack.push(Open::Image(
                    dest_url.to_string(),
                    title.to_string(),
                    String::new(),
                    at,
                ));
            }
            Event::End(TagEnd::Image) => {
                if let Some(Open::Image(src, title, alt, start)) = stack.pop() {
                    let line = line_of(start);
                    let alt = collapse(&alt);
                    if alt.is_empty() {
                        problems.push(Problem::new(
                            source.file,
                            line,
                            "body",
                            format!("the image {src:?} has no alt text: describe it in ![...]"),
                        ));
                    }
                    match local_image(&src, source.content_dir) {
                        Ok((width, height)) => {
                            body.pictures.push((src.clone(), line));
                            runs.images.push((
                                Image {
                                    src,
                                    alt,
                                    width,
                                    height,
                                    caption: Some(collapse(&title)).filter(|c| !c.is_empty()),
                                    credit: None,
                                    renditions: None,
                                    placeholder: None,
                                },
                                line,
                            ));
                        }
                        Err(message) => {
                            problems.push(Problem::new(source.file, line, "body", message));
                        }
                    }
                }
            }
            Event::Text(t) | Event::Code(t) => runs.push(&t),
            Event::SoftBreak | Event::HardBreak => runs.push(" "),
            _ => {}
        }
    }
    body
}

/// A paragraph block: plain `text` when it is one unmarked run, otherwise inline `content`.
fn paragraph(mut runs: Vec<Inline>) -> Block {
    if let Some(first) = runs.first_mut() {
        first.text = first.text.trim_start().to_string();
    }
    if let Some(last) = runs.last_mut() {
        last.text = last.text.trim_end().to_string();
    }
    runs.retain(|r| !r.text.is_empty());
    for run in &mut runs {
        let ends = (run.text.starts_with(' '), run.text.ends_with(' '));
        let mut text = collapse(&run.text);
        if ends.0 && !text.is_empty() {
            text.insert(0, ' ');
        }
        if ends.1 && !text.is_empty() {
            text.push(' ');
        }
        run.text = text;
    }
    match &runs[..] {
        [one] if one.href.is_none() && one.em.is_none() && one.strong.is_none() => {
            Block::Paragraph {
                text: Some(one.text.clone()),
                content: None,
            }
        }
        _ => Block::Paragraph {
            text: None,
            content: Some(runs),
        },
    }
}

/// Checks an image path from the content (`images/x.svg`, relative to the content folder)
/// and reads its size.
pub fn local_image(src: &str, content_dir: &Path) -> Result<(u32, u32), String> {
    if src.starts_with("https://") || src.starts_with("http://") {
        return Err(format!(
            "the image {src:?} is remote: put it under content/images/ so its size can be read"
        ));
    }
    let relative = src.strip_prefix("images/").unwrap_or_default();
    let safe = !relative.is_empty()
        && relative
            .split('/')
            .all(|part| !part.is_empty() && part != "." && part != "..")
        && relative
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '/'));
    if !safe {
        return Err(format!(
            "the image {src:?} must be a file under content/images/, written images/<name> (letters, digits, - _ . /)"
        ));
    }
    let extension = relative
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase());
    if !extension.is_some_and(|e| images::EXTENSIONS.contains(&e.as_str())) {
        return Err(format!(
            "the image {src:?} is not a picture press publishes: use one of .{}",
            images::EXTENSIONS.join(" .")
        ));
    }
    // Every step below content/ must be a real folder or file: a symbolic link could publish
    // anything on the machine (a key, say) as an image.
    let mut path = content_dir.to_path_buf();
    for part in src.split('/') {
        path.push(part);
        match std::fs::symlink_metadata(&path) {
            Err(_) => {
                return Err(format!(
                    "the image {src:?} does not exist ({})",
                    path.display()
                ))
            }
            Ok(meta) if meta.file_type().is_symlink() => {
                return Err(format!(
                    "the image {src:?} is a symbolic link ({}): put the file itself under content/images/",
                    path.display()
                ))
            }
            Ok(_) => {}
        }
    }
    if !path.is_file() {
        return Err(format!(
            "the image {src:?} is not a file ({})",
            path.display()
        ));
    }
    images::dimensions(&path).map_err(|e| format!("the image {src:?}: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> (Body, Vec<Problem>) {
        let mut problems = Problems::default();
        let source = BodySource {
            file: Path::new("a.md"),
            first_line: 10,
            content_dir: Path::new("/nonexistent"),
        };
        let body = parse_body(text, &source, &mut problems);
        (body, problems.sorted())
    }

    #[test]
    fn markdown_maps_onto_the_contract_blocks() {
        let (body, problems) = parse(
            "One *two* [three](https://x.example) four.\n\n## Head\n\n> Said it.\n>\n> — Someone\n\n1. a\n2. b\n\n---\n\nPlain\ntext.\n",
        );
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(body.blocks.len(), 6);
        match &body.blocks[0] {
            Block::Paragraph {
                content: Some(runs),
                ..
            } => {
                assert_eq!(runs.len(), 5);
                assert_eq!(runs[1].text, "two");
                assert_eq!(runs[1].em, Some(true));
                assert_eq!(runs[3].href.as_deref(), Some("https://x.example"));
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(
            body.blocks[1],
            Block::Heading {
                text: "Head".into(),
                level: 2
            }
        );
        assert_eq!(
            body.blocks[2],
            Block::Quote {
                text: "Said it.".into(),
                cite: Some("Someone".into())
            }
        );
        assert_eq!(
            body.blocks[3],
            Block::List {
                ordered: true,
                items: vec!["a".into(), "b".into()]
            }
        );
        assert_eq!(body.blocks[4], Block::Separator);
        assert_eq!(
            body.blocks[5],
            Block::Paragraph {
                text: Some("Plain text.".into()),
                content: None
            }
        );
    }

    #[test]
    fn unsafe_links_html_and_missing_images_are_reported_with_lines() {
        let (_, problems) = parse(
            "ok\n\n[x](javascript:alert(1))\n\n<script>alert(1)</script>\n\n![](images/none.svg)\n\n# Big\n",
        );
        let lines: Vec<usize> = problems.iter().map(|p| p.line).collect();
        assert_eq!(problems.len(), 5, "{problems:#?}");
        assert!(
            lines.contains(&12)
                && lines.contains(&14)
                && lines.contains(&16)
                && lines.contains(&18)
        );
        assert!(problems.iter().any(|p| p.message.contains("no alt text")));
        assert!(problems
            .iter()
            .any(|p| p.message.contains("does not exist")));
    }

    #[test]
    fn image_paths_cannot_leave_the_images_folder() {
        let dir = Path::new("/tmp");
        assert!(local_image("images/../secret.svg", dir).is_err());
        assert!(local_image("/etc/passwd", dir).is_err());
        assert!(local_image("https://x.example/a.png", dir).is_err());
        assert!(local_image("images/a b.svg", dir).is_err());
    }

    #[cfg(unix)]
    #[test]
    fn images_are_real_picture_files_inside_the_content_folder() {
        // Regression: a symlink in images/ published a file from outside content/ (an id_rsa
        // came out this way), and any file under images/ was published, pages and scripts too.
        let dir = std::env::temp_dir().join(format!("press-images-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("content/images/sub")).expect("mkdir");
        std::fs::write(
            dir.join("secret.svg"),
            "<svg width=\"1\" height=\"1\"></svg>",
        )
        .expect("write");
        std::fs::write(
            dir.join("content/images/ok.svg"),
            "<svg width=\"2\" height=\"1\"></svg>",
        )
        .expect("write");
        std::fs::write(
            dir.join("content/images/page.html"),
            "<script>alert(1)</script>",
        )
        .expect("write");
        std::fs::write(dir.join("content/images/evil.js"), "alert(1)").expect("write");
        std::fs::write(dir.join("content/images/id_rsa"), "KEY").expect("write");
        std::os::unix::fs::symlink(dir.join("secret.svg"), dir.join("content/images/link.svg"))
            .expect("link");
        std::os::unix::fs::symlink(&dir, dir.join("content/images/out")).expect("link");
        let content = dir.join("content");
        assert_eq!(local_image("images/ok.svg", &content), Ok((2, 1)));
        for (src, says) in [
            ("images/link.svg", "symbolic link"),
            ("images/out/secret.svg", "symbolic link"),
            ("images/page.html", "not a picture"),
            ("images/evil.js", "not a picture"),
            ("images/id_rsa", "not a picture"),
            ("images/sub", "not a picture"),
            ("images/none.png", "does not exist"),
        ] {
            let error = local_image(src, &content).expect_err(src);
            assert!(error.contains(says), "{src}: {error}");
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
}
