//! Feeds and maps for readers' apps and crawlers: Atom feeds for the site and each section,
//! sitemap.xml, a news sitemap of the last two days, and robots.txt.

use broadsheet::model::{parse_rfc3339, Article, Section};

use crate::content::Site;

/// Entries in each Atom feed.
pub const FEED_SIZE: usize = 30;
/// The news sitemap lists stories of this many last milliseconds (two days).
pub const NEWS_WINDOW_MS: i64 = 2 * 24 * 60 * 60 * 1000;

/// Escapes text for XML.
pub fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Characters XML 1.0 cannot hold at all (its `Char` production).
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            '\u{fffe}' | '\u{ffff}' => {}
            c => out.push(c),
        }
    }
    out
}

fn updated(article: &Article) -> &str {
    article
        .updated_at
        .as_deref()
        .unwrap_or(&article.published_at)
}

/// An Atom feed of `articles` (newest first). `path` is the feed's own site path.
pub fn atom(site: &Site, title: &str, path: &str, page: &str, articles: &[&Article]) -> String {
    let newest = articles
        .iter()
        .map(|a| updated(a))
        .max_by_key(|t| parse_rfc3339(t).unwrap_or_default())
        .unwrap_or("1970-01-01T00:00:00Z");
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    out.push_str(&format!(
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n",
        xml(&site.language)
    ));
    out.push_str(&format!("  <title>{}</title>\n", xml(title)));
    out.push_str(&format!(
        "  <subtitle>{}</subtitle>\n",
        xml(&site.description)
    ));
    out.push_str(&format!("  <id>{}</id>\n", xml(&site.absolute(path))));
    out.push_str(&format!(
        "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n",
        xml(&site.absolute(path))
    ));
    out.push_str(&format!(
        "  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
        xml(&site.absolute(page))
    ));
    out.push_str(&format!("  <updated>{}</updated>\n", xml(newest)));
    out.push_str(&format!(
        "  <author><name>{}</name></author>\n",
        xml(&site.name)
    ));
    for article in articles.iter().take(FEED_SIZE) {
        let url = site.absolute(&article.path());
        out.push_str("  <entry>\n");
        out.push_str(&format!("    <title>{}</title>\n", xml(&article.title)));
        out.push_str(&format!("    <id>{}</id>\n", xml(&url)));
        out.push_str(&format!(
            "    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
            xml(&url)
        ));
        out.push_str(&format!(
            "    <published>{}</published>\n",
            xml(&article.published_at)
        ));
        out.push_str(&format!(
            "    <updated>{}</updated>\n",
            xml(updated(article))
        ));
        for person in article.byline.iter().flatten() {
            out.push_str(&format!(
                "    <author><name>{}</name></author>\n",
                xml(&person.name)
            ));
        }
        out.push_str(&format!(
            "    <category term=\"{}\" label=\"{}\"/>\n",
            xml(&article.section.slug),
            xml(&article.section.name)
        ));
        if let Some(standfirst) = &article.standfirst {
            out.push_str(&format!("    <summary>{}</summary>\n", xml(standfirst)));
        }
        out.push_str("  </entry>\n");
    }
    out.push_str("</feed>\n");
    out
}

/// Every page: the front, each section front and each article.
pub fn sitemap(site: &Site, sections: &[Section], articles: &[Article]) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    let newest = articles.first().map(|a| updated(a).to_string());
    let mut url = |path: &str, lastmod: Option<&str>| {
        out.push_str(&format!("  <url><loc>{}</loc>", xml(&site.absolute(path))));
        if let Some(lastmod) = lastmod {
            out.push_str(&format!("<lastmod>{}</lastmod>", xml(lastmod)));
        }
        out.push_str("</url>\n");
    };
    url("/", newest.as_deref());
    for section in sections {
        let lastmod = articles
            .iter()
            .find(|a| a.section.slug == section.slug)
            .map(updated);
        url(&format!("/{}", section.slug), lastmod);
    }
    for article in articles {
        url(&article.path(), Some(updated(article)));
    }
    out.push_str("</urlset>\n");
    out
}

/// Stories published in the two days before `now_ms` (Google News sitemap format).
pub fn news_sitemap(site: &Site, articles: &[Article], now_ms: i64) -> String {
    let language = site
        .language
        .split('-')
        .next()
        .unwrap_or("en")
        .to_lowercase();
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:news=\"http://www.google.com/schemas/sitemap-news/0.9\">\n",
    );
    for article in articles {
        let Some(published) = parse_rfc3339(&article.published_at) else {
            continue;
        };
        if !(now_ms - NEWS_WINDOW_MS..=now_ms).contains(&published) {
            continue;
        }
        out.push_str(&format!(
            "  <url><loc>{}</loc><news:news><news:publication><news:name>{}</news:name><news:language>{}</news:language></news:publication><news:publication_date>{}</news:publication_date><news:title>{}</news:title></news:news></url>\n",
            xml(&site.absolute(&article.path())),
            xml(&site.name),
            xml(&language),
            xml(&article.published_at),
            xml(&article.title)
        ));
    }
    out.push_str("</urlset>\n");
    out
}

pub fn robots(site: &Site) -> String {
    format!(
        "User-agent: *\nAllow: /\n\nSitemap: {}\nSitemap: {}\n",
        site.absolute("/sitemap.xml"),
        site.absolute("/news-sitemap.xml")
    )
}

#[cfg(test)]
mod tests {
    use super::xml;

    #[test]
    fn xml_escapes_markup_and_drops_illegal_characters() {
        assert_eq!(xml("a<b>&\"'\u{1}"), "a&lt;b&gt;&amp;&quot;&apos;");
        // Regression: U+FFFE and U+FFFF in a title made the feeds and news sitemap invalid XML.
        assert_eq!(
            xml("x\u{fffe}y\u{ffff}z\u{fffd}\u{10000}"),
            "xyz\u{fffd}\u{10000}"
        );
    }
}
