//! One publishing run: content in, a complete site out. The site is built in a temporary
//! folder next to the output and swapped in only when everything succeeded, so a failed run
//! never touches the site that is already there. press replaces only a folder it wrote
//! itself (one with its [`MARKER`] file), never one that is, holds or sits inside the content
//! or the app.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use broadsheet::model::Article;

use crate::content::{self, Content};
use crate::deploy;
use crate::feeds;
use crate::render::{Kind, Renderer, Route, Template};
use crate::report::Problem;

/// What to build from where.
#[derive(Debug, Clone)]
pub struct Options {
    /// The content folder (site.yaml, sections.yaml, articles/, images/ ...).
    pub content: PathBuf,
    /// The release app as trunk built it (index.html and its hashed assets).
    pub app: PathBuf,
    /// Where the site goes.
    pub out: PathBuf,
    /// Overrides site.yaml's url (e.g. to publish the same content under another path).
    pub url: Option<String>,
    /// Overrides site.yaml's `reactions` (the engagement service), e.g. `/engage`.
    pub reactions: Option<String>,
    /// "Now" in milliseconds, for the news sitemap (tests pin it).
    pub now_ms: i64,
    /// Threads rendering pages and making pictures.
    pub jobs: usize,
    /// Where pictures' renditions are kept between runs (`.press-cache`).
    pub cache: PathBuf,
}

/// The file at the top of every site press writes. A folder that exists and is not empty is
/// replaced only when it has this file, naming that very folder ([`marker`]): a copy of a site
/// elsewhere (`cp -r dist/. /var/www/x`) is not press's to replace.
pub const MARKER: &str = ".press-site";

/// What [`MARKER`] says in the site press writes at `out` (an absolute, resolved path).
pub fn marker(out: &Path) -> String {
    format!("press site: {}\n", out.display())
}

fn has_marker(dir: &Path, out: &Path) -> bool {
    std::fs::read_to_string(dir.join(MARKER)).is_ok_and(|text| text == marker(out))
}

/// Why a run failed.
#[derive(Debug)]
pub enum Failure {
    /// The content has problems; each names its file, line and field.
    Content(Vec<Problem>),
    /// The output folder is one press must not replace; nothing was written.
    Output(String),
    /// Something outside the content: the app build, the disk.
    Other(String),
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Failure::Content(problems) => {
                for p in problems {
                    writeln!(f, "{p}")?;
                }
                write!(
                    f,
                    "{} problem{} in the content; nothing was published",
                    problems.len(),
                    if problems.len() == 1 { "" } else { "s" }
                )
            }
            Failure::Output(message) => write!(f, "--out: {message}; nothing was written"),
            Failure::Other(message) => write!(f, "{message}"),
        }
    }
}

fn other(context: &str) -> impl Fn(std::io::Error) -> Failure + '_ {
    move |e| Failure::Other(format!("{context}: {e}"))
}

/// What a run made, and how long each step took.
#[derive(Debug, Default)]
pub struct Summary {
    pub articles: usize,
    pub pages: usize,
    pub api_files: usize,
    pub pictures_encoded: usize,
    pub pictures_reused: usize,
    pub read_ms: u128,
    pub related_ms: u128,
    pub check_ms: u128,
    pub render_ms: u128,
    /// Indexing the stories for search (`search.rs`).
    pub search_ms: u128,
    pub total_ms: u128,
    /// Warnings about the content (it was built all the same).
    pub warnings: Vec<crate::report::Problem>,
}

/// Builds the site described by `options`.
pub fn build(options: &Options) -> Result<Summary, Failure> {
    let started = Instant::now();
    let out = output_folder(options)?;
    if let Some(url) = &options.url {
        content::check_url(url).map_err(|e| Failure::Other(format!("--url: {e}")))?;
    }
    if let Some(reactions) = &options.reactions {
        content::check_reactions(reactions)
            .map_err(|e| Failure::Other(format!("--reactions: {e}")))?;
    }
    let pictures = crate::pictures::Options {
        cache: options.cache.clone(),
        jobs: options.jobs,
    };
    let mut content = content::load(&options.content, &pictures).map_err(Failure::Content)?;
    if let Some(url) = &options.url {
        content.site.url.clone_from(url);
    }
    if let Some(reactions) = &options.reactions {
        content.site.reactions = Some(reactions.clone());
    }
    let read_ms = started.elapsed().as_millis();

    let index_file = options.app.join("index.html");
    let index = std::fs::read_to_string(&index_file).map_err(|e| {
        Failure::Other(format!(
            "{}: {e} (build the app first: make build)",
            index_file.display()
        ))
    })?;

    let step = Instant::now();
    let articles = crate::api::finish(&content);
    let api = Arc::new(crate::api::files(&content, &articles));
    let related_ms = step.elapsed().as_millis();

    let step = Instant::now();
    let unreadable = crate::api::check(&api, &content, options.jobs);
    if !unreadable.is_empty() {
        return Err(Failure::Content(unreadable));
    }
    let check_ms = step.elapsed().as_millis();

    remove_leftovers(&out);
    let temp = sibling(&out, "building");
    if temp.exists() {
        // Left by an earlier run whose process id this run now has.
        if !has_marker(&temp, &out) {
            return Err(Failure::Output(format!(
                "{} is in the way and press did not write it",
                temp.display()
            )));
        }
        std::fs::remove_dir_all(&temp).map_err(other("clearing an old temporary folder"))?;
    }
    let result = write_site(options, &content, &articles, &api, &index, (&temp, &out));
    let timings = match result {
        Ok(timings) => timings,
        Err(e) => {
            let _ = std::fs::remove_dir_all(&temp);
            return Err(e);
        }
    };
    swap(&temp, &out)?;
    Ok(Summary {
        articles: articles.len(),
        pages: articles.len() + content.sections.len() + 3,
        api_files: api.len(),
        pictures_encoded: content.pictures_encoded,
        pictures_reused: content.pictures_reused,
        read_ms,
        related_ms,
        check_ms,
        render_ms: timings.render_ms,
        search_ms: timings.search_ms,
        total_ms: started.elapsed().as_millis(),
        warnings: content.warnings.clone(),
    })
}

/// `path` made absolute with every link and `..` resolved, also where its last parts do not
/// exist yet (a new output folder).
fn resolve(path: &Path) -> Result<PathBuf, Failure> {
    let absolute = std::path::absolute(path)
        .map_err(|e| Failure::Output(format!("{}: {e}", path.display())))?;
    let mut existing = absolute.as_path();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                existing = parent;
            }
            _ => break,
        }
    }
    let mut resolved = std::fs::canonicalize(existing)
        .map_err(|e| Failure::Output(format!("{}: {e}", existing.display())))?;
    for name in rest.into_iter().rev() {
        resolved.push(name);
    }
    Ok(resolved)
}

/// The output folder, absolute, once it is known to be safe to replace.
fn output_folder(options: &Options) -> Result<PathBuf, Failure> {
    let out = resolve(&options.out)?;
    if out.parent().is_none() || out.file_name().is_none() {
        return Err(Failure::Output(format!(
            "{} is not a folder press can replace",
            out.display()
        )));
    }
    for (what, dir) in [("content", &options.content), ("app", &options.app)] {
        let dir = resolve(dir)?;
        if dir == out || dir.starts_with(&out) || out.starts_with(&dir) {
            return Err(Failure::Output(format!(
                "{} is, holds or sits inside the {what} folder {}: choose a folder of its own, e.g. dist",
                out.display(),
                dir.display()
            )));
        }
    }
    let meta = std::fs::symlink_metadata(&out);
    if let Ok(meta) = meta {
        if !meta.is_dir() {
            return Err(Failure::Output(format!(
                "{} is not a folder",
                out.display()
            )));
        }
        let empty = std::fs::read_dir(&out)
            .map_err(|e| Failure::Output(format!("{}: {e}", out.display())))?
            .next()
            .is_none();
        if !empty && !has_marker(&out, &out) {
            return Err(Failure::Output(format!(
                "{} holds files press did not write here (it has no {MARKER} file naming this folder): press replaces only a site it built in this place; remove the folder or choose another",
                out.display()
            )));
        }
    }
    Ok(out)
}

fn sibling(out: &Path, what: &str) -> PathBuf {
    let name = out
        .file_name()
        .map_or_else(|| "site".into(), |n| n.to_string_lossy().to_string());
    out.with_file_name(format!(".{name}.{what}-{}", std::process::id()))
}

/// Removes what an earlier run that was killed mid-way left beside `out`: its temporary and
/// previous-site folders, only those with the marker for `out` and only when the run that
/// made them is gone (where `/proc` tells; elsewhere they are left alone), so two runs at
/// once never remove each other's work.
fn remove_leftovers(out: &Path) {
    let (Some(dir), Some(name)) = (out.parent(), out.file_name()) else {
        return;
    };
    if !Path::new("/proc/self").exists() {
        return;
    }
    let name = name.to_string_lossy();
    let prefixes = [format!(".{name}.building-"), format!(".{name}.old-")];
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let file = entry.file_name().to_string_lossy().to_string();
        let Some(pid) = prefixes.iter().find_map(|p| file.strip_prefix(p.as_str())) else {
            continue;
        };
        let gone = pid
            .parse::<u32>()
            .is_ok_and(|pid| !Path::new("/proc").join(pid.to_string()).exists());
        if gone && has_marker(&entry.path(), out) {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// Puts `temp` where `out` is, keeping the old site until the new one is in place. On
/// failure the old site is put back and the new one removed.
fn swap(temp: &Path, out: &Path) -> Result<(), Failure> {
    let old = sibling(out, "old");
    if out.exists() {
        if let Err(e) = std::fs::rename(out, &old) {
            let _ = std::fs::remove_dir_all(temp);
            return Err(Failure::Other(format!(
                "moving the previous site aside: {e}"
            )));
        }
    }
    if let Err(e) = std::fs::rename(temp, out) {
        let _ = std::fs::rename(&old, out);
        let _ = std::fs::remove_dir_all(temp);
        return Err(Failure::Other(format!(
            "putting the new site in place: {e}"
        )));
    }
    let _ = std::fs::remove_dir_all(&old);
    Ok(())
}

fn write(path: &Path, text: &str) -> Result<(), Failure> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(other("creating a folder"))?;
    }
    std::fs::write(path, text).map_err(|e| Failure::Other(format!("{}: {e}", path.display())))
}

fn copy_dir(from: &Path, to: &Path, skip: &dyn Fn(&Path) -> bool) -> Result<(), Failure> {
    std::fs::create_dir_all(to).map_err(other("creating a folder"))?;
    let entries =
        std::fs::read_dir(from).map_err(|e| Failure::Other(format!("{}: {e}", from.display())))?;
    for entry in entries.flatten() {
        let path = entry.path();
        if entry.file_type().is_ok_and(|t| t.is_symlink()) {
            return Err(Failure::Other(format!(
                "{}: a symbolic link in the app build; press copies only real files",
                path.display()
            )));
        }
        if skip(&path) {
            continue;
        }
        let target = to.join(entry.file_name());
        if path.is_dir() {
            copy_dir(&path, &target, skip)?;
        } else {
            std::fs::copy(&path, &target)
                .map_err(|e| Failure::Other(format!("{}: {e}", path.display())))?;
        }
    }
    Ok(())
}

/// The site path a route's page is written to: `/` -> index.html, `/news` -> news.html,
/// `/news/x` -> news/x.html (hosts serve `/news/x` from `news/x.html`).
pub fn page_file(path: &str) -> String {
    if path == "/" {
        "index.html".into()
    } else {
        format!("{}.html", path.trim_start_matches('/'))
    }
}

/// Puts the pictures the articles use, and nothing else of images/ (checked by
/// markdown::local_image), into `temp`: renditions linked from the cache (no copy; across file
/// systems, a copy), a publisher's own file copied, so nothing done to the site can reach the
/// source. On `jobs` threads: a site of 10,000 stories has 30,000 files here.
fn publish_pictures(
    options: &Options,
    images: &[(PathBuf, String)],
    temp: &Path,
) -> Result<(), Failure> {
    let folders: std::collections::BTreeSet<PathBuf> = images
        .iter()
        .filter_map(|(_, site_path)| temp.join(site_path).parent().map(Path::to_path_buf))
        .collect();
    for folder in &folders {
        std::fs::create_dir_all(folder).map_err(other("creating images/"))?;
    }
    let place = |(from, site_path): &(PathBuf, String)| -> Result<(), Failure> {
        let target = temp.join(site_path);
        if from.starts_with(&options.cache) {
            match std::fs::hard_link(from, &target) {
                // A hashed name is the same file wherever it is named twice.
                Ok(()) => return Ok(()),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => return Ok(()),
                Err(_) => {}
            }
        } else if std::fs::symlink_metadata(from).map_or(true, |m| !m.is_file()) {
            return Err(Failure::Other(format!(
                "{}: changed while press ran",
                from.display()
            )));
        }
        // Never copy onto an existing name: it may be a link to the source itself.
        if target.exists() {
            return Ok(());
        }
        std::fs::copy(from, &target)
            .map(|_| ())
            .map_err(|e| Failure::Other(format!("{site_path}: {e}")))
    };
    let chunk = images.len().div_ceil(options.jobs.max(1)).max(1);
    std::thread::scope(|scope| {
        let handles: Vec<_> = images
            .chunks(chunk)
            .map(|part| scope.spawn(move || part.iter().try_for_each(place)))
            .collect();
        handles.into_iter().try_for_each(|h| {
            h.join()
                .unwrap_or_else(|_| Err(Failure::Other("a picture thread failed".into())))
        })
    })
}

/// Writes the whole site into `temp`, which will become `out`.
fn write_site(
    options: &Options,
    content: &Content,
    articles: &[Article],
    api: &Arc<crate::api::Files>,
    index: &str,
    (temp, out): (&Path, &Path),
) -> Result<Timings, Failure> {
    let site = &content.site;
    write(&temp.join(MARKER), &marker(out))?;
    // The app: its files, hashed ones under assets/.
    let mut hashed = Vec::new();
    for entry in std::fs::read_dir(&options.app)
        .map_err(other("reading the app build"))?
        .flatten()
    {
        let name = entry.file_name().to_string_lossy().to_string();
        if entry.path().is_file() && deploy::is_hashed(&name) {
            hashed.push(name);
        }
    }
    hashed.sort();
    let app_dir = options.app.clone();
    copy_dir(&options.app, temp, &|path| {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        path.parent() == Some(app_dir.as_path())
            && (name == "index.html"
                || name == "api"
                || name == "images"
                || deploy::is_hashed(&name))
    })?;
    for name in &hashed {
        let target = temp.join("assets").join(name);
        if let Some(dir) = target.parent() {
            std::fs::create_dir_all(dir).map_err(other("creating assets/"))?;
        }
        std::fs::copy(options.app.join(name), &target).map_err(other("copying an asset"))?;
    }
    let index = deploy::move_references(index, &hashed);
    let app = options.app.clone();
    let read_css = move |href: &str| {
        let name = href.strip_prefix("./assets/")?;
        std::fs::read_to_string(app.join(name)).ok()
    };
    let template = Template::new(&index, site, &read_css).map_err(Failure::Other)?;

    publish_pictures(options, &content.images, temp)?;

    // Pages, rendered on `jobs` threads.
    let step = Instant::now();
    let api_base = deploy::meta_content(&index, "broadsheet:api").unwrap_or_else(|| "api".into());
    let section_paths: Vec<String> = content
        .sections
        .iter()
        .map(|s| format!("/{}", s.slug))
        .collect();
    let mut routes: Vec<Route<'_>> = vec![Route {
        path: "/",
        kind: Kind::Home,
    }];
    for (section, path) in content.sections.iter().zip(&section_paths) {
        routes.push(Route {
            path,
            kind: Kind::Section(section),
        });
    }
    let article_paths: Vec<String> = articles.iter().map(Article::path).collect();
    for (article, path) in articles.iter().zip(&article_paths) {
        routes.push(Route {
            path,
            kind: Kind::Article(article),
        });
    }
    let jobs = options.jobs.max(1);
    let chunk = routes.len().div_ceil(jobs).max(1);
    let api_files: Vec<(&String, &String)> = api.iter().collect();
    // As many API parts as page parts, so every API file is written by some thread.
    let api_chunk = api_files
        .len()
        .div_ceil(routes.chunks(chunk).len().max(1))
        .max(1);
    let mut api_parts = api_files.chunks(api_chunk);
    let results: Vec<Result<(), Failure>> = std::thread::scope(|scope| {
        let handles: Vec<_> = routes
            .chunks(chunk)
            .map(|chunk| {
                let api_part = api_parts.next().unwrap_or_default();
                let template = template.clone();
                let site = site.clone();
                let api = Arc::clone(api);
                let api_base = api_base.clone();
                scope.spawn(move || {
                    for (path, json) in api_part {
                        write(&temp.join("api").join(path), json)?;
                    }
                    let renderer = Renderer::new(template, site, &api_base, api);
                    for route in chunk {
                        write(&temp.join(page_file(route.path)), &renderer.page(*route))?;
                    }
                    Ok(())
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|_| Err(Failure::Other("a render thread failed".into())))
            })
            .collect()
    });
    for result in results {
        result?;
    }
    // The not-found page, for hosts that serve 404.html for unknown paths.
    let renderer = Renderer::new(template.clone(), site.clone(), &api_base, Arc::clone(api));
    // The search page; its index is written below.
    write(
        &temp.join(page_file(&format!("/{}", broadsheet::model::SEARCH_SLUG))),
        &renderer.page(Route {
            path: "/search",
            kind: Kind::Search,
        }),
    )?;
    write(
        &temp.join("404.html"),
        &renderer.page(Route {
            path: "/404.html",
            kind: Kind::NotFound,
        }),
    )?;
    let render_ms = step.elapsed().as_millis();

    let step = Instant::now();
    crate::search::write(temp, &site.language, articles).map_err(Failure::Other)?;
    let search_ms = step.elapsed().as_millis();

    // Feeds, maps and host configuration.
    let all: Vec<&Article> = articles.iter().collect();
    write(
        &temp.join("feed.xml"),
        &feeds::atom(site, &site.name, "/feed.xml", "/", &all),
    )?;
    for section in &content.sections {
        let list: Vec<&Article> = articles
            .iter()
            .filter(|a| a.section.slug == section.slug)
            .collect();
        let path = format!("/{}/feed.xml", section.slug);
        let title = broadsheet::config::Config {
            site_name: site.name.clone(),
            title_pattern: site.title_pattern.clone(),
            ..Default::default()
        }
        .title(&section.name);
        write(
            &temp.join(section.slug.as_str()).join("feed.xml"),
            &feeds::atom(site, &title, &path, &format!("/{}", section.slug), &list),
        )?;
    }
    write(
        &temp.join("sitemap.xml"),
        &feeds::sitemap(site, &content.sections, articles),
    )?;
    write(
        &temp.join("news-sitemap.xml"),
        &feeds::news_sitemap(site, articles, options.now_ms),
    )?;
    write(&temp.join("robots.txt"), &feeds::robots(site))?;

    let mut connect = Vec::new();
    for name in ["broadsheet:api", "broadsheet:reactions"] {
        if let Some(o) = deploy::meta_content(&template.whole(), name)
            .as_deref()
            .and_then(deploy::origin)
        {
            connect.push(o);
        }
    }
    let csp = deploy::content_security_policy(
        &site.absolute("/assets/"),
        &site.absolute(&format!("/{}/", crate::search::FOLDER)),
        &deploy::inline_script_hashes(&template.whole()),
        &deploy::inline_style_hashes(&template.whole()),
        &connect,
    );
    let base = site.base_path();
    let slugs: Vec<String> = content.sections.iter().map(|s| s.slug.clone()).collect();
    write(
        &temp.join("_headers"),
        &deploy::headers_file(&site.url, &csp, &base, &slugs),
    )?;
    write(&temp.join("nginx.conf"), &deploy::nginx_conf(&csp, &base))?;
    Ok(Timings {
        render_ms,
        search_ms,
    })
}

/// How long writing the site's pages and its search index took.
struct Timings {
    render_ms: u128,
    search_ms: u128,
}
