//! Pre-rendered pages: the app's own components rendered to HTML natively (Leptos `ssr`),
//! inside the release `index.html`, with the head a crawler or link preview needs and the
//! JSON answers the page was rendered from, so the app starts on them without a flash.

use std::sync::Arc;

use broadsheet::api::prerender;
use broadsheet::config::Config;
use broadsheet::messages::Msg;
use broadsheet::model::{Article, Section};
use broadsheet::App;
use leptos::prelude::*;
use leptos_meta::ServerMetaContext;
use serde_json::json;

use crate::content::Site;

/// Marks where index.html's placeholder (the static skeleton) is; pre-rendered pages put the
/// app's HTML there.
pub const APP_START: &str = "<!-- broadsheet:app -->";
pub const APP_END: &str = "<!-- /broadsheet:app -->";

/// What a page shows, for its head tags.
#[derive(Debug, Clone, Copy)]
pub enum Kind<'a> {
    Home,
    Section(&'a Section),
    Article(&'a Article),
    /// `/search`: its results come from the index in the browser, so it starts the app at once.
    Search,
    NotFound,
}

/// One page to write: its site path (`/`, `/news`, `/news/x`) and what it is.
#[derive(Debug, Clone, Copy)]
pub struct Route<'a> {
    pub path: &'a str,
    pub kind: Kind<'a>,
}

/// Escapes text for HTML text and attribute values.
pub fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// JSON that is safe inside a `<script>` element: no `<`, `>` or `&` can end it early.
pub fn script_json(json: &str) -> String {
    json.replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
        .replace('\u{2028}', "\\u2028")
        .replace('\u{2029}', "\\u2029")
}

/// The release index.html, made ready to hold a pre-rendered page.
#[derive(Debug, Clone)]
pub struct Template {
    /// The head of a page that starts with the island, the app fetched on intent
    /// (`first_view.rs`); the same as `app_head` for a build without the island.
    head: String,
    /// The head of a page that starts the app at once (the not-found page).
    app_head: String,
    before_app: String,
    after_app: String,
}

impl Template {
    /// Prepares `index` (the app's index.html) for `site`: language, base path and time zone
    /// set, the placeholder cut out. Fails when the markers or tags it relies on are missing.
    pub fn new(
        index: &str,
        site: &Site,
        read_css: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Self, String> {
        // The app's wasm (trunk preloads it) comes after the page's own pictures: on a slow
        // phone it shared the line with a story's lead photograph and held back its paint
        // (LCP 992 ms, 864 ms with this; the static floor 700 ms).
        let mut html = index.replace(
            "<link rel=\"preload\" href=",
            "<link rel=\"preload\" fetchpriority=\"low\" href=",
        );
        let base = format!("{}/", site.base_path());
        replace_once(
            &mut html,
            "<base href=\"/\" />",
            &format!("<base href=\"{}\" />", esc(&base)),
        )?;
        replace_once(
            &mut html,
            "<html lang=\"en\">",
            &format!(
                "<html lang=\"{}\"{} data-prerendered>",
                esc(&site.language),
                if broadsheet::messages::is_right_to_left(&site.language) {
                    " dir=\"rtl\""
                } else {
                    ""
                }
            ),
        )?;
        replace_once(
            &mut html,
            "<meta name=\"broadsheet:time-zone\" content=\"UTC\" />",
            &format!(
                "<meta name=\"broadsheet:time-zone\" content=\"{}\" />",
                esc(&site.time_zone)
            ),
        )?;
        for (name, default, value) in [
            ("site-name", "Broadsheet", &site.name),
            ("site-description", "", &site.description),
            ("title-pattern", "{headline} — {site}", &site.title_pattern),
            (
                "logo",
                "",
                &site
                    .masthead
                    .as_ref()
                    .map(|l| l.meta_content())
                    .unwrap_or_default(),
            ),
        ] {
            replace_once(
                &mut html,
                &format!("<meta name=\"broadsheet:{name}\" content=\"{default}\" />"),
                &format!(
                    "<meta name=\"broadsheet:{name}\" content=\"{}\" />",
                    esc(value)
                ),
            )?;
        }
        if let Some(reactions) = &site.reactions {
            replace_once(
                &mut html,
                "<meta name=\"broadsheet:reactions\" content=\"\" />",
                &format!(
                    "<meta name=\"broadsheet:reactions\" content=\"{}\" />",
                    esc(reactions)
                ),
            )?;
        }
        replace_once(&mut html, "<title>Broadsheet</title>", "")?;
        if let Some(icon) = &site.favicon {
            let kind = if icon.ends_with(".png") {
                "image/png"
            } else {
                "image/svg+xml"
            };
            replace_once(
                &mut html,
                "<link rel=\"icon\" href=\"favicon.svg\" type=\"image/svg+xml\" />",
                &format!(
                    "<link rel=\"icon\" href=\"{}\" type=\"{kind}\" />",
                    esc(icon)
                ),
            )?;
        }
        // The site's accent colours (checked for contrast by press), after the app's CSS.
        let theme = site.accent.as_ref().map(crate::content::brand::theme_css);
        // The site's words, for the app to read at start (config.rs). Data, not script: the
        // Content-Security-Policy does not apply, and it cannot close its element.
        replace_once(
            &mut html,
            "</head>",
            &format!(
                "<script type=\"application/json\" id=\"broadsheet-messages\">{}</script>\n    <script type=\"application/json\" id=\"broadsheet-numbers\">{}</script>\n  </head>",
                script_json(&site.messages.to_json()),
                script_json(&crate::first_view::number_shapes(&site.language))
            ),
        )?;
        // The stylesheets in the page, the site's colours last so they win.
        let html = crate::first_view::inline_css(&html, read_css, theme.as_deref());
        let start = html
            .find(APP_START)
            .ok_or("index.html has no app start marker")?;
        let end = html
            .find(APP_END)
            .ok_or("index.html has no app end marker")?
            + APP_END.len();
        let head_end = html.find("</head>").ok_or("index.html has no </head>")?;
        if !(head_end < start && start < end) {
            return Err("index.html's app markers are not inside <body>".into());
        }
        let app_head = html[..head_end].to_string();
        Ok(Self {
            head: crate::first_view::lazy_app(&app_head).unwrap_or_else(|| app_head.clone()),
            app_head,
            before_app: html[head_end..start].to_string(),
            after_app: html[end..].to_string(),
        })
    }

    /// The template's inline scripts (for the Content-Security-Policy hashes).
    pub fn whole(&self) -> String {
        format!(
            "{}{}{}{}",
            self.head, self.app_head, self.before_app, self.after_app
        )
    }
}

fn replace_once(html: &mut String, from: &str, to: &str) -> Result<(), String> {
    let at = html
        .find(from)
        .ok_or_else(|| format!("index.html has no `{from}`"))?;
    html.replace_range(at..at + from.len(), to);
    Ok(())
}

/// Renders pages on one thread. Content answers come from `api` (path under the API folder
/// -> JSON text).
pub struct Renderer {
    template: Template,
    site: Site,
    config: Config,
    api: Arc<crate::api::Files>,
    prefix: String,
}

impl Renderer {
    pub fn new(
        template: Template,
        site: Site,
        api_base: &str,
        api: Arc<crate::api::Files>,
    ) -> Self {
        let prefix = format!("{}/", api_base.trim_end_matches('/'));
        let (source, strip) = (Arc::clone(&api), prefix.clone());
        prerender::serve_from(move |url| {
            url.strip_prefix(&strip)
                .and_then(|p| source.get(p).cloned())
        });
        let config = Config {
            base_path: site.base_path(),
            api_base: api_base.to_string(),
            reactions_url: None,
            timeout_ms: 10_000,
            locale: site.language.clone(),
            time_zone: site.time_zone.clone(),
            site_name: site.name.clone(),
            site_description: site.description.clone(),
            title_pattern: site.title_pattern.clone(),
            logo: site.masthead.clone(),
            messages: site.messages.clone(),
        };
        Self {
            template,
            site,
            config,
            api,
            prefix,
        }
    }

    /// The whole HTML document for `route`.
    pub fn page(&self, route: Route<'_>) -> String {
        let _ = prerender::take_read();
        let (meta, output) = ServerMetaContext::new();
        let config = self.config.clone();
        let url = format!("{}{}", self.config.base_path, route.path);
        let owner = Owner::new();
        let app = owner.with(|| {
            provide_context(broadsheet::router::RequestPath(url.clone()));
            provide_context(meta);
            view! { <App config=config /> }.to_html()
        });
        let read = prerender::take_read();

        let mut seeds = String::new();
        for url in &read {
            if let Some(body) = self.answer(url) {
                seeds.push_str(&format!(
                    "<script type=\"application/json\" data-broadsheet-url=\"{}\">{}</script>",
                    esc(url),
                    script_json(&body)
                ));
            }
        }
        let template_head = match route.kind {
            Kind::NotFound | Kind::Search => &self.template.app_head,
            _ => &self.template.head,
        };
        let head = format!("{template_head}{}", self.head_tags(route));
        let document = format!(
            "{head}</head>{before}<div id=\"app\" data-path=\"{path}\">{app}</div>{seeds}{after}",
            path = esc(&url),
            before = self.template.before_app.trim_start_matches("</head>"),
            after = self.template.after_app,
        );
        // Title and description come from the components' own <Title> and <Meta>.
        let document = futures::executor::block_on(async move {
            use futures::StreamExt;
            output
                .inject_meta_context(futures::stream::iter([document]))
                .await
                .collect::<String>()
                .await
        });
        drop(owner);
        document
    }

    fn answer(&self, url: &str) -> Option<String> {
        self.api.get(url.strip_prefix(&self.prefix)?).cloned()
    }

    /// Canonical link, Open Graph, Twitter card and JSON-LD for a route.
    fn head_tags(&self, route: Route<'_>) -> String {
        let site = &self.site;
        let canonical = site.absolute(if route.path == "/" { "/" } else { route.path });
        let image_url = |src: &str| {
            if src.starts_with("https://") {
                src.to_string()
            } else {
                site.absolute(&format!("/{src}"))
            }
        };
        let mut tags = String::new();
        let mut meta = |property: &str, content: &str, attr: &str| {
            tags.push_str(&format!(
                "<meta {attr}=\"{}\" content=\"{}\">",
                esc(property),
                esc(content)
            ));
        };
        let home = site.absolute("/");
        let publisher = json!({
            "@type": "NewsMediaOrganization",
            "name": site.name,
            "url": home,
        });
        let ld = match route.kind {
            Kind::NotFound | Kind::Search => return String::new(),
            Kind::Home => {
                meta("og:type", "website", "property");
                meta("og:title", &site.name, "property");
                meta("og:description", &site.description, "property");
                meta("twitter:card", "summary", "name");
                json!([{
                    "@context": "https://schema.org",
                    "@type": "WebSite",
                    "name": site.name,
                    "url": home,
                    "description": site.description,
                    "publisher": publisher,
                    "potentialAction": {
                        "@type": "SearchAction",
                        "target": {
                            "@type": "EntryPoint",
                            "urlTemplate": site.absolute("/search?q={search_term_string}"),
                        },
                        "query-input": "required name=search_term_string",
                    },
                }])
            }
            Kind::Section(section) => {
                let description = site.messages.fill(
                    Msg::SectionDescription,
                    &[("section", &section.name), ("site", &site.name)],
                );
                meta("og:type", "website", "property");
                meta("og:title", &self.config.title(&section.name), "property");
                meta("og:description", &description, "property");
                meta("twitter:card", "summary", "name");
                json!([{
                    "@context": "https://schema.org",
                    "@type": "CollectionPage",
                    "name": section.name,
                    "url": canonical,
                    "isPartOf": { "@type": "WebSite", "name": site.name, "url": home },
                }, breadcrumbs(site, Some(section), None)])
            }
            Kind::Article(article) => {
                let description = article.standfirst.clone().unwrap_or_else(|| {
                    site.messages.fill(
                        Msg::ArticleDescription,
                        &[
                            ("headline", &article.title),
                            ("section", &article.section.name),
                            ("site", &site.name),
                        ],
                    )
                });
                meta("og:type", "article", "property");
                meta("og:title", &article.title, "property");
                meta("og:description", &description, "property");
                meta("article:published_time", &article.published_at, "property");
                if let Some(updated) = &article.updated_at {
                    meta("article:modified_time", updated, "property");
                }
                meta("article:section", &article.section.name, "property");
                for tag in article.tags.iter().flatten() {
                    meta("article:tag", &tag.name, "property");
                }
                if let Some(image) = &article.image {
                    meta("og:image", &image_url(&image.src), "property");
                    meta("og:image:alt", &image.alt, "property");
                    meta("og:image:width", &image.width.to_string(), "property");
                    meta("og:image:height", &image.height.to_string(), "property");
                    meta("twitter:card", "summary_large_image", "name");
                    meta("twitter:image", &image_url(&image.src), "name");
                    meta("twitter:image:alt", &image.alt, "name");
                } else {
                    meta("twitter:card", "summary", "name");
                }
                meta("twitter:title", &article.title, "name");
                meta("twitter:description", &description, "name");
                let authors: Vec<_> = article
                    .byline
                    .iter()
                    .flatten()
                    .map(|p| json!({ "@type": "Person", "name": p.name }))
                    .collect();
                let mut news = json!({
                    "@context": "https://schema.org",
                    "@type": "NewsArticle",
                    "headline": article.title,
                    "description": description,
                    "url": canonical,
                    "mainEntityOfPage": canonical,
                    "datePublished": article.published_at,
                    "dateModified": article.updated_at.as_ref().unwrap_or(&article.published_at),
                    "articleSection": article.section.name,
                    "author": if authors.is_empty() { json!([publisher]) } else { json!(authors) },
                    "publisher": publisher,
                    "inLanguage": site.language,
                    "interactionStatistic": [
                        {
                            "@type": "InteractionCounter",
                            "interactionType": "https://schema.org/ReadAction",
                            "userInteractionCount": article.views,
                        },
                        {
                            "@type": "InteractionCounter",
                            "interactionType": "https://schema.org/LikeAction",
                            "userInteractionCount": article.reactions.very_good,
                        },
                    ],
                });
                if let Some(image) = &article.image {
                    news["image"] = json!([image_url(&image.src)]);
                }
                if let Some(tags) = &article.tags {
                    let names: Vec<&str> = tags.iter().map(|t| t.name.as_str()).collect();
                    news["keywords"] = json!(names.join(", "));
                }
                json!([
                    news,
                    breadcrumbs(site, Some(&article.section), Some(article))
                ])
            }
        };
        meta("og:site_name", &site.name, "property");
        meta("og:url", &canonical, "property");
        meta("og:locale", &site.language.replace('-', "_"), "property");
        let mut head = format!("<link rel=\"canonical\" href=\"{}\">", esc(&canonical));
        head.push_str(&format!(
            "<link rel=\"alternate\" type=\"application/atom+xml\" title=\"{}\" href=\"{}\">",
            esc(&site.name),
            esc(&site.absolute("/feed.xml"))
        ));
        if let Kind::Section(section) = route.kind {
            head.push_str(&format!(
                "<link rel=\"alternate\" type=\"application/atom+xml\" title=\"{}\" href=\"{}\">",
                esc(&self.config.title(&section.name)),
                esc(&site.absolute(&format!("/{}/feed.xml", section.slug)))
            ));
        }
        head.push_str(&tags);
        let ld = serde_json::to_string(&ld).unwrap_or_else(|_| "[]".into());
        head.push_str(&format!(
            "<script type=\"application/ld+json\">{}</script>",
            script_json(&ld)
        ));
        head
    }
}

fn breadcrumbs(
    site: &Site,
    section: Option<&Section>,
    article: Option<&Article>,
) -> serde_json::Value {
    let mut items = vec![json!({
        "@type": "ListItem", "position": 1, "name": site.messages.text(Msg::Home), "item": site.absolute("/"),
    })];
    if let Some(section) = section {
        items.push(json!({
            "@type": "ListItem", "position": 2, "name": section.name,
            "item": site.absolute(&format!("/{}", section.slug)),
        }));
    }
    if let Some(article) = article {
        items.push(json!({
            "@type": "ListItem", "position": 3, "name": article.title,
            "item": site.absolute(&article.path()),
        }));
    }
    json!({ "@context": "https://schema.org", "@type": "BreadcrumbList", "itemListElement": items })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_json_cannot_close_its_script() {
        let hostile = r#"{"t":"</script><script>alert(1)</script> & <!--"}"#;
        let safe = script_json(hostile);
        assert!(!safe.contains('<') && !safe.contains('>'));
        let back: serde_json::Value = serde_json::from_str(&safe).expect("still JSON");
        assert_eq!(back["t"], "</script><script>alert(1)</script> & <!--");
    }

    #[test]
    fn escaping_covers_attributes_and_text() {
        assert_eq!(
            esc(r#"<a href="x">'&'"#),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;"
        );
    }
}
