//! press with photographs: what a newsroom uploads (camera JPEGs with EXIF and GPS, PNGs,
//! 16-bit and CMYK files) becomes renditions with no metadata; what it should not upload
//! (truncated, lying, animated, enormous files and decompression bombs) is a problem at its
//! file and field; a rebuild encodes only what changed. Pictures are drawn by the tests
//! (`draw`); the real-photograph test reads Debian's mate-backgrounds, which
//! `scripts/photos.sh` unpacks (the test command sets `BROADSHEET_PHOTOS`).

use std::io::Cursor;
use std::path::{Path, PathBuf};

use image::RgbImage;
use press::build::{build, Failure, Options};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn copy(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read dir").flatten() {
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).expect("copy");
        }
    }
}

/// A copy of the fixture site with one more story, whose lead picture is `images/{name}`
/// holding `bytes`.
fn workspace(test: &str, name: &str, bytes: &[u8]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("press-pictures-{test}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    copy(&fixtures().join("site"), &dir.join("content"));
    std::fs::write(dir.join("content/images").join(name), bytes).expect("picture");
    std::fs::write(
        dir.join("content/articles/news/photo-story.md"),
        format!(
            "---\ntitle: \"A story with a photograph\"\nsection: \"news\"\npublished: \"2026-11-25T10:00:00Z\"\nimage:\n  src: \"images/{name}\"\n  alt: \"The harbour at dusk\"\n---\n\nThe harbour at dusk.\n"
        ),
    )
    .expect("story");
    dir
}

fn options(dir: &Path) -> Options {
    let _ = any_spawner::Executor::init_futures_executor();
    Options {
        content: dir.join("content"),
        app: fixtures().join("app"),
        out: dir.join("dist"),
        url: None,
        reactions: None,
        now_ms: broadsheet::model::parse_rfc3339("2026-11-28T12:00:00Z").expect("time"),
        jobs: 2,
        cache: dir.join("cache"),
    }
}

fn problems(result: Result<press::build::Summary, Failure>) -> String {
    match result {
        Err(Failure::Content(problems)) => problems
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("\n"),
        Err(other) => panic!("expected content problems, got: {other}"),
        Ok(_) => panic!("the build passed"),
    }
}

/// An upright `width` x `height` scene: a sky darkening upwards, a sun, a sea of waves and
/// a grain, so it compresses like a photograph and its top is told from its bottom.
fn draw(width: u32, height: u32) -> RgbImage {
    let mut seed = 0x2545_f491_u32;
    let mut grain = move || {
        seed ^= seed << 13;
        seed ^= seed >> 17;
        seed ^= seed << 5;
        (seed % 17) as i32 - 8
    };
    RgbImage::from_fn(width, height, |x, y| {
        let (fx, fy) = (x as f32 / width as f32, y as f32 / height as f32);
        let horizon = 0.6;
        let base = if fy < horizon {
            let t = fy / horizon;
            let sun = ((fx - 0.7).powi(2) + (fy - 0.45).powi(2)).sqrt() < 0.06;
            if sun {
                [250.0, 210.0, 120.0]
            } else {
                [20.0 + 200.0 * t, 30.0 + 90.0 * t, 90.0 - 20.0 * t]
            }
        } else {
            let wave = ((fx * 60.0 + fy * 200.0).sin() * 0.5 + 0.5) * 40.0;
            [10.0 + wave, 40.0 + wave, 70.0 + wave]
        };
        let n = grain();
        image::Rgb(base.map(|c| (c as i32 + n).clamp(0, 255) as u8))
    })
}

/// A TIFF (Exif) block with a camera, an orientation and a GPS position.
fn exif(orientation: u16) -> Vec<u8> {
    let mut t: Vec<u8> = b"II*\0".to_vec();
    t.extend(8u32.to_le_bytes());
    let entry = |t: &mut Vec<u8>, tag: u16, kind: u16, count: u32, value: u32| {
        t.extend(tag.to_le_bytes());
        t.extend(kind.to_le_bytes());
        t.extend(count.to_le_bytes());
        t.extend(value.to_le_bytes());
    };
    // IFD0 at 8: 3 entries (2 + 36 + 4 bytes), then its strings and the GPS IFD.
    let make_at = 8 + 2 + 3 * 12 + 4;
    let gps_at = make_at + 16;
    t.extend(3u16.to_le_bytes());
    entry(&mut t, 0x010f, 2, 16, make_at);
    entry(&mut t, 0x0112, 3, 1, u32::from(orientation));
    entry(&mut t, 0x8825, 4, 1, gps_at);
    t.extend(0u32.to_le_bytes());
    t.extend(b"SECRETCAM MK II\0");
    // GPS IFD: latitude N 48/1 51/1 24/1.
    let rationals_at = gps_at + 2 + 2 * 12 + 4;
    t.extend(2u16.to_le_bytes());
    entry(&mut t, 0x0001, 2, 2, u32::from_le_bytes(*b"N\0\0\0"));
    entry(&mut t, 0x0002, 5, 3, rationals_at);
    t.extend(0u32.to_le_bytes());
    for (n, d) in [(48u32, 1u32), (51, 1), (24, 1)] {
        t.extend(n.to_le_bytes());
        t.extend(d.to_le_bytes());
    }
    t
}

/// A camera's JPEG of `draw(width, height)`: stored turned a quarter anticlockwise with
/// EXIF orientation 6 (turn it clockwise to show it), plus GPS, XMP and a comment.
fn camera_jpeg(width: u32, height: u32) -> Vec<u8> {
    let stored = image::imageops::rotate270(&draw(width, height));
    let mut out = Vec::new();
    let mut encoder = jpeg_encoder::Encoder::new(&mut out, 92);
    encoder.add_exif_metadata(&exif(6)).expect("exif");
    let mut xmp = b"http://ns.adobe.com/xap/1.0/\0".to_vec();
    xmp.extend(b"<x:xmpmeta><rdf:Description photoshop:City=\"SECRETTOWN\"/></x:xmpmeta>");
    encoder.add_app_segment(1, xmp).expect("xmp");
    encoder
        .encode(
            stored.as_raw(),
            stored.width() as u16,
            stored.height() as u16,
            jpeg_encoder::ColorType::Rgb,
        )
        .expect("jpeg");
    out
}

fn png(image: &image::DynamicImage) -> Vec<u8> {
    let mut out = Vec::new();
    image
        .write_to(&mut Cursor::new(&mut out), image::ImageFormat::Png)
        .expect("png");
    out
}

fn published_images(dir: &Path) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(dir.join("dist/images"))
        .expect("images")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.to_string_lossy().contains("photo-"))
        .collect();
    found.sort();
    found
}

fn story(dir: &Path) -> serde_json::Value {
    let text = std::fs::read_to_string(dir.join("dist/api/articles/photo-story.json"))
        .expect("story json");
    serde_json::from_str(&text).expect("json")
}

/// The segments of a JPEG before its scan: (marker, payload).
fn jpeg_segments(bytes: &[u8]) -> Vec<(u8, Vec<u8>)> {
    let mut out = Vec::new();
    let mut i = 2;
    while i + 4 <= bytes.len() && bytes[i] == 0xff {
        let marker = bytes[i + 1];
        let len = usize::from(u16::from_be_bytes([bytes[i + 2], bytes[i + 3]]));
        out.push((marker, bytes[i + 4..i + 2 + len].to_vec()));
        if marker == 0xda {
            break;
        }
        i += 2 + len;
    }
    out
}

/// The chunk names of a RIFF WebP.
fn webp_chunks(bytes: &[u8]) -> Vec<String> {
    let mut out = Vec::new();
    let mut i = 12;
    while i + 8 <= bytes.len() {
        out.push(String::from_utf8_lossy(&bytes[i..i + 4]).to_string());
        let len = u32::from_le_bytes([bytes[i + 4], bytes[i + 5], bytes[i + 6], bytes[i + 7]]);
        i += 8 + len as usize + (len as usize & 1);
    }
    out
}

#[test]
fn a_camera_photograph_is_published_upright_in_sizes_with_no_metadata() {
    let dir = workspace("camera", "photo.jpg", &camera_jpeg(2400, 1600));
    let summary = build(&options(&dir)).unwrap_or_else(|e| panic!("{e}"));
    // This one and the fixture site's own photograph.
    assert_eq!(summary.pictures_encoded, 2);

    let image = &story(&dir)["image"];
    // Upright: the stored 1600 x 2400 turned by its EXIF orientation. The fallback, and the
    // size reserved, is the largest JPEG: 1280 wide.
    assert_eq!(
        (image["width"].as_u64(), image["height"].as_u64()),
        (Some(1280), Some(853))
    );
    let src = image["src"].as_str().expect("src");
    assert!(
        src.starts_with("images/photo-1280.") && src.ends_with(".jpg"),
        "{src}"
    );
    // One format, WebP, in every width up to 2048; `{width}` in its name stands for each.
    let renditions = &image["renditions"];
    assert_eq!(renditions.as_array().map(Vec::len), Some(1), "{renditions}");
    assert_eq!(renditions[0]["type"], "image/webp");
    let template = renditions[0]["src"].as_str().expect("src");
    assert!(
        template.starts_with("images/photo-{width}.") && template.ends_with(".webp"),
        "{template}"
    );
    assert_eq!(
        renditions[0]["widths"],
        serde_json::json!([320, 400, 480, 640, 720, 800, 960, 1280, 1600, 2048])
    );
    let placeholder = image["placeholder"].as_str().expect("placeholder");
    assert!(
        placeholder.starts_with("data:image/webp;base64,"),
        "{placeholder}"
    );
    assert!(placeholder.len() < 400, "{} characters", placeholder.len());

    let files = published_images(&dir);
    assert_eq!(files.len(), 11, "{files:?}");
    for file in &files {
        let bytes = std::fs::read(file).expect("read");
        // No trace of the camera, the place or the XMP, in any rendition.
        for secret in [
            &b"SECRETCAM"[..],
            b"SECRETTOWN",
            b"Exif",
            b"xmpmeta",
            b"ns.adobe.com",
        ] {
            assert!(
                !bytes.windows(secret.len()).any(|w| w == secret),
                "{} holds {}",
                file.display(),
                String::from_utf8_lossy(secret)
            );
        }
        let name = file.to_string_lossy();
        if name.ends_with(".jpg") {
            let markers: Vec<u8> = jpeg_segments(&bytes).iter().map(|(m, _)| *m).collect();
            // APP0 (JFIF) only: no APP1 (EXIF, XMP), APP2 (ICC), APP13 (IPTC) or COM.
            assert!(
                markers.iter().all(|m| !matches!(m, 0xe1..=0xef | 0xfe)),
                "{name}: {markers:x?}"
            );
        } else {
            let chunks = webp_chunks(&bytes);
            assert!(
                chunks
                    .iter()
                    .all(|c| c == "VP8 " || c == "VP8L" || c == "VP8X" || c == "ALPH"),
                "{name}: {chunks:?}"
            );
        }
        let decoded = image::load_from_memory(&bytes).expect("decodes");
        // Upright: sky (dark blue) at the top, sea at the bottom.
        let rgb = decoded.to_rgb8();
        let top = rgb.get_pixel(rgb.width() / 10, 1);
        assert!(top[2] > top[0], "{name}: the top is not sky: {top:?}");
        assert!(decoded.width() > decoded.height(), "{name} is not upright");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_rebuild_encodes_only_new_or_changed_pictures() {
    let dir = workspace("cache", "photo.jpg", &camera_jpeg(900, 600));
    // Counts include the fixture site's own photograph.
    let first = build(&options(&dir)).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!((first.pictures_encoded, first.pictures_reused), (2, 0));
    let again = build(&options(&dir)).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!((again.pictures_encoded, again.pictures_reused), (0, 2));
    let before = story(&dir);
    // The same bytes under a new time: found by content, not encoded again.
    std::fs::write(dir.join("content/images/photo.jpg"), camera_jpeg(900, 600)).expect("touch");
    let touched = build(&options(&dir)).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!((touched.pictures_encoded, touched.pictures_reused), (0, 2));
    assert_eq!(story(&dir), before);
    // Another picture: encoded, under new names.
    std::fs::write(dir.join("content/images/photo.jpg"), camera_jpeg(800, 600)).expect("edit");
    let changed = build(&options(&dir)).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!((changed.pictures_encoded, changed.pictures_reused), (1, 1));
    assert_ne!(story(&dir)["image"]["src"], before["image"]["src"]);
    // A damaged cache entry is made again, not published half.
    let cache = dir.join("cache/pictures");
    for version in std::fs::read_dir(&cache).expect("cache").flatten() {
        for entry in std::fs::read_dir(version.path())
            .into_iter()
            .flatten()
            .flatten()
        {
            let _ = std::fs::remove_file(entry.path().join("640.webp"));
        }
    }
    let repaired = build(&options(&dir)).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(repaired.pictures_encoded, 2);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn sixteen_bit_cmyk_grey_and_transparent_pictures_are_published() {
    // A 16-bit PNG.
    let wide = image::DynamicImage::ImageRgb16(image::ImageBuffer::from_fn(700, 400, |x, y| {
        image::Rgb([(x * 90) as u16, (y * 160) as u16, 30_000])
    }));
    let dir = workspace("deep", "photo.png", &png(&wide));
    build(&options(&dir)).unwrap_or_else(|e| panic!("16-bit: {e}"));
    // 640 is within 10% of 700: the fallback is the picture's own width.
    assert_eq!(story(&dir)["image"]["width"].as_u64(), Some(700));
    let _ = std::fs::remove_dir_all(&dir);

    // A CMYK JPEG, as print desks export them.
    let mut cmyk = Vec::new();
    let pixels: Vec<u8> = (0..400 * 300).flat_map(|_| [0u8, 200, 200, 0]).collect();
    jpeg_encoder::Encoder::new(&mut cmyk, 90)
        .encode(&pixels, 400, 300, jpeg_encoder::ColorType::Cmyk)
        .expect("cmyk");
    let dir = workspace("cmyk", "photo.jpg", &cmyk);
    build(&options(&dir)).unwrap_or_else(|e| panic!("CMYK: {e}"));
    let file = published_images(&dir)
        .into_iter()
        .find(|p| p.to_string_lossy().ends_with(".jpg"))
        .expect("a jpeg");
    let rgb = image::open(&file).expect("open").to_rgb8();
    let p = rgb.get_pixel(200, 150);
    // No cyan, much magenta and yellow: red, not its inverse.
    assert!(p[0] > 180 && p[1] < 120 && p[2] < 120, "{p:?}");
    let _ = std::fs::remove_dir_all(&dir);

    // Grey, and a logo-like PNG with transparency: WebP keeps the alpha, the fallback is a
    // PNG, and there is no placeholder to show through it.
    let grey = image::DynamicImage::ImageLuma8(image::ImageBuffer::from_fn(500, 500, |x, _| {
        image::Luma([(x / 2) as u8])
    }));
    let dir = workspace("grey", "photo.png", &png(&grey));
    build(&options(&dir)).unwrap_or_else(|e| panic!("grey: {e}"));
    let _ = std::fs::remove_dir_all(&dir);
    let clear = image::DynamicImage::ImageRgba8(image::ImageBuffer::from_fn(600, 300, |x, _| {
        image::Rgba([200, 40, 40, if x < 300 { 0 } else { 255 }])
    }));
    let dir = workspace("alpha", "photo.png", &png(&clear));
    build(&options(&dir)).unwrap_or_else(|e| panic!("alpha: {e}"));
    let image = &story(&dir)["image"];
    assert!(image["placeholder"].is_null(), "{image}");
    assert!(
        image["src"].as_str().is_some_and(|s| s.ends_with(".png")),
        "{image}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// A PNG whose header says `width` x `height` and whose data is a few bytes.
fn bomb(width: u32, height: u32) -> Vec<u8> {
    fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
        out.extend((data.len() as u32).to_be_bytes());
        let mut crc_input = kind.to_vec();
        crc_input.extend(data);
        out.extend(&crc_input);
        out.extend(crc32(&crc_input).to_be_bytes());
    }
    fn crc32(bytes: &[u8]) -> u32 {
        let mut crc = 0xffff_ffffu32;
        for &b in bytes {
            crc ^= u32::from(b);
            for _ in 0..8 {
                crc = if crc & 1 == 1 {
                    (crc >> 1) ^ 0xedb8_8320
                } else {
                    crc >> 1
                };
            }
        }
        !crc
    }
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = width.to_be_bytes().to_vec();
    ihdr.extend(height.to_be_bytes());
    ihdr.extend([8, 2, 0, 0, 0]);
    chunk(&mut out, b"IHDR", &ihdr);
    chunk(
        &mut out,
        b"IDAT",
        &[0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01],
    );
    chunk(&mut out, b"IEND", &[]);
    out
}

#[test]
fn bad_pictures_are_problems_at_their_file_and_field_all_at_once() {
    let jpeg = camera_jpeg(600, 400);
    let mut animated = Vec::new();
    {
        let mut encoder = image::codecs::gif::GifEncoder::new(&mut animated);
        for shade in [0u8, 255] {
            let frame = image::RgbaImage::from_pixel(40, 40, image::Rgba([shade, 0, 0, 255]));
            encoder
                .encode_frame(image::Frame::new(frame))
                .expect("frame");
        }
    }
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "truncated.jpg",
            jpeg[..jpeg.len() / 2].to_vec(),
            "cannot be decoded",
        ),
        (
            "garbage.jpg",
            b"this is not a picture at all".to_vec(),
            "not a JPEG, PNG, GIF or WebP",
        ),
        (
            "lying.jpg",
            png(&image::DynamicImage::new_rgb8(20, 20)),
            "a PNG picture with another format's extension",
        ),
        (
            "bomb.png",
            bomb(60_000, 60_000),
            "60000 x 60000 px (3600 megapixels)",
        ),
        ("animated.gif", animated, "an animated GIF"),
    ];
    let dir = workspace("bad", "fine.jpg", &camera_jpeg(300, 200));
    let mut body = String::from("---\ntitle: \"Bad pictures\"\nsection: \"news\"\npublished: \"2026-11-25T10:00:00Z\"\n---\n\nText.\n");
    for (name, bytes, _) in &cases {
        std::fs::write(dir.join("content/images").join(name), bytes).expect("write");
        body.push_str(&format!("\n![A picture](images/{name})\n"));
    }
    // A 100 MB file: refused by its size, never read.
    let huge = std::fs::File::create(dir.join("content/images/huge.jpg")).expect("create");
    huge.set_len(100 * 1024 * 1024).expect("size");
    body.push_str("\n![A huge picture](images/huge.jpg)\n");
    // A lead picture that is broken, too: reported at image.src.
    std::fs::write(
        dir.join("content/articles/news/photo-story.md"),
        "---\ntitle: \"A story\"\nsection: \"news\"\npublished: \"2026-11-25T10:00:00Z\"\nimage:\n  src: \"images/truncated.jpg\"\n  alt: \"Broken\"\n---\n\nText.\n",
    )
    .expect("story");
    std::fs::write(dir.join("content/articles/news/bad-pictures.md"), body).expect("bad");
    let all = problems(build(&options(&dir)));
    let bad = dir.join("content/articles/news/bad-pictures.md");
    for (i, (name, _, message)) in cases.iter().enumerate() {
        let line = 9 + 2 * i;
        let expected = format!(
            "{}:{line}: body: the image \"images/{name}\": ",
            bad.display()
        );
        let found = all.lines().find(|l| l.starts_with(&expected));
        assert!(
            found.is_some_and(|l| l.contains(message)),
            "{name}: expected {expected}...{message} in:\n{all}"
        );
    }
    assert!(
        all.contains("huge.jpg\": it is 100.0 MB; press reads pictures of at most 64 MB"),
        "{all}"
    );
    assert!(
        all.contains(
            "photo-story.md:6: image.src: the image \"images/truncated.jpg\": it cannot be decoded"
        ),
        "{all}"
    );
    assert!(!dir.join("dist").exists(), "nothing is published");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn an_svg_and_an_avif_are_published_as_they_are_under_hashed_names() {
    let svg = b"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"40\" height=\"20\"><rect width=\"40\" height=\"20\"/></svg>";
    let dir = workspace("svg", "photo.svg", svg);
    build(&options(&dir)).unwrap_or_else(|e| panic!("{e}"));
    let image = &story(&dir)["image"];
    let src = image["src"].as_str().expect("src");
    assert!(
        src.starts_with("images/photo.") && src.ends_with(".svg"),
        "{src}"
    );
    assert!(image["renditions"].is_null());
    assert_eq!(std::fs::read(dir.join("dist").join(src)).expect("svg"), svg);
    let _ = std::fs::remove_dir_all(&dir);
}

/// SSIMULACRA 2 of `distorted` against `reference` (same size).
fn ssimulacra2(reference: &RgbImage, distorted: &RgbImage) -> f64 {
    use ssimulacra2::{compute_frame_ssimulacra2, ColorPrimaries, Rgb, TransferCharacteristic};
    let frame = |image: &RgbImage| {
        let pixels = image
            .pixels()
            .map(|p| p.0.map(|c| f32::from(c) / 255.0))
            .collect();
        Rgb::new(
            pixels,
            image.width() as usize,
            image.height() as usize,
            TransferCharacteristic::SRGB,
            ColorPrimaries::BT709,
        )
        .expect("frame")
    };
    compute_frame_ssimulacra2(frame(reference), frame(distorted)).expect("score")
}

#[test]
fn the_quality_setting_holds_on_real_photographs() {
    // Real photographs (Debian's mate-backgrounds, unpacked by scripts/photos.sh). Each is
    // published, and its 720 px WebP (a 360 px phone at 2x fetches it for the story column)
    // is compared with the original scaled to 720 px: SSIMULACRA 2 of 70 ("high quality") or
    // more, and the 4K photograph's at most 80 KB.
    let Some(photos) = std::env::var_os("BROADSHEET_PHOTOS").map(PathBuf::from) else {
        eprintln!("skipped: set BROADSHEET_PHOTOS to a folder of photographs (scripts/photos.sh)");
        return;
    };
    let mut names: Vec<PathBuf> = std::fs::read_dir(&photos)
        .expect("BROADSHEET_PHOTOS is a folder")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "jpg"))
        .collect();
    names.sort();
    assert!(
        names.len() >= 5,
        "too few photographs in {}",
        photos.display()
    );
    let mut report = Vec::new();
    for path in &names {
        let bytes = std::fs::read(path).expect("read");
        let dir = workspace("quality", "photo.jpg", &bytes);
        build(&options(&dir)).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let file = published_images(&dir).into_iter().find(|p| {
            p.to_string_lossy().contains("photo-720.") && p.to_string_lossy().ends_with(".webp")
        });
        let Some(file) = file else {
            let _ = std::fs::remove_dir_all(&dir);
            continue;
        };
        // A real camera's EXIF (Wood.jpg: a Konica Minolta's) is in no rendition.
        for rendition in published_images(&dir) {
            let bytes = std::fs::read(&rendition).expect("read");
            for secret in [&b"Exif"[..], b"KONICA", b"MINOLTA"] {
                assert!(
                    !bytes.windows(secret.len()).any(|w| w == secret),
                    "{}",
                    rendition.display()
                );
            }
        }
        let published = std::fs::read(&file).expect("read");
        let original = image::load_from_memory(&bytes).expect("decode").to_rgb8();
        let decoded = image::load_from_memory(&published)
            .expect("decode")
            .to_rgb8();
        let reference = image::imageops::resize(
            &original,
            decoded.width(),
            decoded.height(),
            image::imageops::FilterType::Lanczos3,
        );
        let score = ssimulacra2(&reference, &decoded);
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        report.push(format!(
            "{name}: {:.1} KB, SSIMULACRA 2 {score:.1}",
            published.len() as f64 / 1024.0
        ));
        assert!(score >= 70.0, "{name}: SSIMULACRA 2 {score:.1} < 70");
        if original.width() >= 3840 {
            assert!(
                published.len() <= 80 * 1024,
                "{name}: {} bytes",
                published.len()
            );
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
    eprintln!("{}", report.join("\n"));
}

#[test]
fn the_placeholder_and_sizes_of_a_large_png_are_sane() {
    let big = image::DynamicImage::ImageRgb8(draw(1000, 500));
    let dir = workspace("png", "photo.png", &png(&big));
    build(&options(&dir)).unwrap_or_else(|e| panic!("{e}"));
    let image = &story(&dir)["image"];
    assert_eq!(image["width"].as_u64(), Some(1000));
    assert_eq!(image["height"].as_u64(), Some(500));
    let top = image["renditions"][0]["widths"]
        .as_array()
        .and_then(|w| w.last().cloned())
        .expect("widths");
    assert_eq!(top.as_u64(), Some(1000));
    let _ = std::fs::remove_dir_all(&dir);
}
