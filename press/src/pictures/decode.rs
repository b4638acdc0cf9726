//! Reading a raster picture from a newsroom safely: its real format, within bounded memory,
//! turned upright, in sRGB, 8 bits a channel. Everything else the file carries (EXIF, GPS,
//! XMP, comments, the ICC profile once applied) is left behind with the original bytes.

use std::io::Cursor;

use image::{AnimationDecoder, DynamicImage, ImageDecoder, ImageFormat, RgbaImage};

/// The largest picture file press reads (64 MiB). A camera's largest JPEG is far smaller.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;
/// The most pixels press decodes (100 megapixels: a medium-format camera). A picture whose
/// header claims more (a decompression bomb: 60,000 x 60,000 px in a few KB) is refused
/// before a byte of it is decoded.
pub const MAX_PIXELS: u64 = 100_000_000;
/// The most memory one decode may allocate; the decoders stop rather than go past it.
pub const MAX_DECODE_BYTES: u64 = 1024 * 1024 * 1024;

/// A picture ready to be resized and encoded.
pub struct Decoded {
    /// Upright, sRGB, straight (not premultiplied) alpha.
    pub pixels: RgbaImage,
    /// Whether any pixel is not fully opaque.
    pub has_alpha: bool,
    /// Why the picture's colour profile was not applied, when it could not be (it is then
    /// read as sRGB, as browsers read it).
    pub profile_warning: Option<String>,
}

/// Why a picture cannot be published. Each names the fault and what to do about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PictureError {
    TooLarge { bytes: u64 },
    Unrecognised,
    WrongExtension { format: &'static str },
    TooManyPixels { width: u32, height: u32 },
    Animated { format: &'static str },
    Undecodable(String),
}

impl std::fmt::Display for PictureError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PictureError::TooLarge { bytes } => write!(
                f,
                "it is {:.1} MB; press reads pictures of at most {} MB (export it smaller)",
                *bytes as f64 / 1_048_576.0,
                MAX_FILE_BYTES / 1_048_576
            ),
            PictureError::Unrecognised => f.write_str(
                "it is not a JPEG, PNG, GIF or WebP picture (its first bytes are none of theirs)",
            ),
            PictureError::WrongExtension { format } => write!(
                f,
                "it is a {format} picture with another format's extension: rename it to .{}",
                format.to_ascii_lowercase()
            ),
            PictureError::TooManyPixels { width, height } => write!(
                f,
                "it says it is {width} x {height} px ({} megapixels); press decodes at most {} megapixels",
                u64::from(*width) * u64::from(*height) / 1_000_000,
                MAX_PIXELS / 1_000_000
            ),
            PictureError::Animated { format } => write!(
                f,
                "it is an animated {format}: press publishes still pictures; export the frame you want as a JPEG or PNG"
            ),
            PictureError::Undecodable(why) => {
                write!(f, "it cannot be decoded ({why}): is it truncated or damaged?")
            }
        }
    }
}

fn undecodable(e: impl std::fmt::Display) -> PictureError {
    PictureError::Undecodable(e.to_string())
}

/// The format `bytes` really are, checked against the extension of the file's name.
pub fn format_of(bytes: &[u8], extension: &str) -> Result<ImageFormat, PictureError> {
    let format = match image::guess_format(bytes) {
        Ok(f @ (ImageFormat::Jpeg | ImageFormat::Png | ImageFormat::Gif | ImageFormat::WebP)) => f,
        _ => return Err(PictureError::Unrecognised),
    };
    let expected = match extension.to_ascii_lowercase().as_str() {
        "jpg" | "jpeg" => ImageFormat::Jpeg,
        "png" => ImageFormat::Png,
        "gif" => ImageFormat::Gif,
        "webp" => ImageFormat::WebP,
        _ => return Err(PictureError::Unrecognised),
    };
    if format == expected {
        Ok(format)
    } else {
        Err(PictureError::WrongExtension {
            format: name(format),
        })
    }
}

fn name(format: ImageFormat) -> &'static str {
    match format {
        ImageFormat::Jpeg => "JPEG",
        ImageFormat::Png => "PNG",
        ImageFormat::Gif => "GIF",
        _ => "WebP",
    }
}

/// Decodes the picture in `bytes`, whose file name ends in `.{extension}`.
pub fn decode(bytes: &[u8], extension: &str) -> Result<Decoded, PictureError> {
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(PictureError::TooLarge {
            bytes: bytes.len() as u64,
        });
    }
    let format = format_of(bytes, extension)?;
    // The header's claim, before any decoder allocates for it.
    if let Ok(size) = imagesize::blob_size(bytes) {
        let (width, height) = (
            u32::try_from(size.width).unwrap_or(u32::MAX),
            u32::try_from(size.height).unwrap_or(u32::MAX),
        );
        if u64::from(width) * u64::from(height) > MAX_PIXELS {
            return Err(PictureError::TooManyPixels { width, height });
        }
    }
    // A JPEG decoder paints what a cut-off file lacks in grey rather than fail: a JPEG must
    // end with its end-of-image marker (trailing padding allowed).
    if format == ImageFormat::Jpeg
        && !bytes
            .iter()
            .rposition(|&b| b != 0 && !b.is_ascii_whitespace())
            .is_some_and(|last| last >= 1 && bytes[last - 1..=last] == [0xff, 0xd9])
    {
        return Err(PictureError::Undecodable(
            "the file ends before the picture does".into(),
        ));
    }
    if is_animated(bytes, format)? {
        return Err(PictureError::Animated {
            format: name(format),
        });
    }
    let mut reader = image::ImageReader::with_format(Cursor::new(bytes), format);
    reader.limits(limits());
    let mut decoder = reader.into_decoder().map_err(undecodable)?;
    let (width, height) = decoder.dimensions();
    if u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(PictureError::TooManyPixels { width, height });
    }
    let orientation = decoder.orientation().map_err(undecodable)?;
    // A broken profile is no reason to refuse a picture: browsers read it as sRGB too.
    let profile = decoder.icc_profile().ok().flatten();
    let mut image = DynamicImage::from_decoder(decoder).map_err(undecodable)?;
    image.apply_orientation(orientation);
    let mut pixels = image.into_rgba8();
    let profile_warning = match profile {
        Some(icc) => to_srgb(&icc, &mut pixels).err(),
        None => None,
    };
    let has_alpha = pixels.pixels().any(|p| p.0[3] < 255);
    Ok(Decoded {
        pixels,
        has_alpha,
        profile_warning,
    })
}

fn limits() -> image::Limits {
    let mut limits = image::Limits::default();
    limits.max_alloc = Some(MAX_DECODE_BYTES);
    limits
}

/// Whether the picture has more than one frame. Only the header is read for PNG and WebP;
/// a GIF's frames are counted up to the second.
fn is_animated(bytes: &[u8], format: ImageFormat) -> Result<bool, PictureError> {
    match format {
        ImageFormat::Png => image::codecs::png::PngDecoder::new(Cursor::new(bytes))
            .and_then(|d| d.is_apng())
            .map_err(undecodable),
        ImageFormat::WebP => image::codecs::webp::WebPDecoder::new(Cursor::new(bytes))
            .map(|d| d.has_animation())
            .map_err(undecodable),
        ImageFormat::Gif => {
            let mut decoder =
                image::codecs::gif::GifDecoder::new(Cursor::new(bytes)).map_err(undecodable)?;
            let (width, height) = decoder.dimensions();
            if u64::from(width) * u64::from(height) > MAX_PIXELS {
                return Err(PictureError::TooManyPixels { width, height });
            }
            decoder.set_limits(limits()).map_err(undecodable)?;
            let mut frames = decoder.into_frames();
            match (frames.next(), frames.next()) {
                (Some(Err(e)), _) => Err(undecodable(e)),
                (_, Some(_)) => Ok(true),
                _ => Ok(false),
            }
        }
        _ => Ok(false),
    }
}

/// Converts `pixels` from the colour space of the ICC profile `icc` to sRGB, in place.
fn to_srgb(icc: &[u8], pixels: &mut RgbaImage) -> Result<(), String> {
    let source = moxcms::ColorProfile::new_from_slice(icc)
        .map_err(|e| format!("its colour profile cannot be read ({e}); it is shown as sRGB"))?;
    if source.color_space != moxcms::DataColorSpace::Rgb {
        return Err(format!(
            "its colour profile is for {:?}, not RGB; it is shown as sRGB",
            source.color_space
        ));
    }
    let srgb = moxcms::ColorProfile::new_srgb();
    let transform = source
        .create_transform_8bit(
            moxcms::Layout::Rgba,
            &srgb,
            moxcms::Layout::Rgba,
            moxcms::TransformOptions::default(),
        )
        .map_err(|e| format!("its colour profile cannot be applied ({e}); it is shown as sRGB"))?;
    let mut converted = vec![0u8; pixels.as_raw().len()];
    transform
        .transform(pixels.as_raw(), &mut converted)
        .map_err(|e| format!("its colour profile cannot be applied ({e}); it is shown as sRGB"))?;
    pixels.copy_from_slice(&converted);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::ImageEncoder;

    fn png_with_profile(pixel: [u8; 3], icc: Option<Vec<u8>>) -> Vec<u8> {
        let mut out = Vec::new();
        let mut encoder = image::codecs::png::PngEncoder::new(&mut out);
        if let Some(icc) = icc {
            encoder.set_icc_profile(icc).expect("icc");
        }
        let pixels: Vec<u8> = (0..64).flat_map(|_| pixel).collect();
        encoder
            .write_image(&pixels, 8, 8, image::ExtendedColorType::Rgb8)
            .expect("png");
        out
    }

    #[test]
    fn a_display_p3_picture_is_converted_to_srgb() {
        // A phone's photograph is often Display P3: its pure green lies outside sRGB, which
        // shows it as sRGB's own green only once converted (else it looks washed out).
        let p3 = moxcms::ColorProfile::new_display_p3()
            .encode()
            .expect("profile");
        let tagged = decode(&png_with_profile([40, 200, 60], Some(p3)), "png").expect("decode");
        let untagged = decode(&png_with_profile([40, 200, 60], None), "png").expect("decode");
        let converted = tagged.pixels.get_pixel(4, 4).0;
        assert_eq!(untagged.pixels.get_pixel(4, 4).0, [40, 200, 60, 255]);
        assert!(tagged.profile_warning.is_none());
        // The same colour in sRGB is more saturated: less red, more green, less blue.
        assert!(
            converted[0] < 40 && converted[1] > 200 && converted[2] < 60,
            "{converted:?}"
        );
    }

    #[test]
    fn a_broken_profile_is_a_warning_and_the_picture_is_read_as_srgb() {
        let broken =
            decode(&png_with_profile([40, 200, 60], Some(vec![1; 200])), "png").expect("decode");
        assert_eq!(broken.pixels.get_pixel(0, 0).0, [40, 200, 60, 255]);
        assert!(broken
            .profile_warning
            .is_some_and(|w| w.contains("shown as sRGB")));
    }
}
