//! Making a picture's renditions: a ladder of widths in WebP, a JPEG (or, with transparency,
//! PNG) fallback, and a tiny placeholder. Settings chosen by measurement: see the README's
//! "Photographs" section, and `the_quality_setting_holds_on_real_photographs` in tests.

use fast_image_resize as fr;

/// Widths of the WebP renditions, in pixels; a picture gets those below its own width and
/// one at its own width (at most the last of these). Phones are 360 to 430 px wide at 2x or
/// 3x: the story column is then 656 to 796 or 984 to 1194 pixels, and Chromium fetches the
/// first rendition at least that wide, so the rungs are close there. 400 is for the same
/// phones at 1x (a column of 328 to 398 pixels; measured on the 412 px mobile profile, the
/// lead picture at 480 cost 38 KB and 70 ms more than one at the column's width).
pub const WIDTHS: &[u32] = &[320, 400, 480, 640, 720, 800, 960, 1280, 1600, 2048];
/// Width of the fallback rendition: the `<img>`'s own `src`, for a browser without WebP and
/// for link previews (which want 1200 px or more).
pub const FALLBACK_WIDTHS: &[u32] = &[1280];
/// libwebp's quality (0-100). 80 keeps SSIMULACRA 2 at 70 ("high quality") or more on every
/// photograph of the test set; 75 let a textured one fall to 66.7.
pub const WEBP_QUALITY: f32 = 80.0;
/// libwebp's effort (0-6): 4 is its default balance of size and time.
pub const WEBP_METHOD: i32 = 4;
/// The JPEG fallback's quality (progressive, optimised Huffman tables, 4:2:0).
pub const JPEG_QUALITY: u8 = 80;
/// The placeholder's longer side, in pixels (a browser scales it up smoothly).
pub const PLACEHOLDER_SIZE: u32 = 16;
/// The placeholder's WebP quality: it only has to hold the picture's colours.
pub const PLACEHOLDER_QUALITY: f32 = 40.0;
/// A rung this close under the top one is left out: it would save the reader nothing.
const CLOSE_TO_TOP: f32 = 0.9;

/// The widths to make of a picture `width` pixels wide, from `widths`, smallest first.
pub fn ladder(width: u32, widths: &[u32]) -> Vec<u32> {
    let largest = widths.last().copied().unwrap_or(width);
    let top = width.min(largest).max(1);
    let mut rungs: Vec<u32> = widths
        .iter()
        .copied()
        .filter(|&w| (w as f32) < top as f32 * CLOSE_TO_TOP)
        .collect();
    rungs.push(top);
    rungs
}

/// The height of a rendition `width` pixels wide of a `(w, h)` picture.
pub fn height_at(width: u32, (w, h): (u32, u32)) -> u32 {
    let scaled = (u64::from(h) * u64::from(width) + u64::from(w) / 2) / u64::from(w.max(1));
    u32::try_from(scaled).unwrap_or(u32::MAX).max(1)
}

/// Pixels of one picture, 3 (opaque) or 4 (with alpha) bytes each.
pub struct Pixels {
    pub data: Vec<u8>,
    pub width: u32,
    pub height: u32,
    pub alpha: bool,
}

impl Pixels {
    /// The picture's pixels, dropping an alpha channel it does not use.
    pub fn new(rgba: image::RgbaImage, alpha: bool) -> Pixels {
        let (width, height) = rgba.dimensions();
        let data = if alpha {
            rgba.into_raw()
        } else {
            rgba.into_raw()
                .chunks_exact(4)
                .flat_map(|p| [p[0], p[1], p[2]])
                .collect()
        };
        Pixels {
            data,
            width,
            height,
            alpha,
        }
    }

    fn kind(&self) -> fr::PixelType {
        if self.alpha {
            fr::PixelType::U8x4
        } else {
            fr::PixelType::U8x3
        }
    }

    /// A copy `width` pixels wide (Lanczos 3; alpha premultiplied while resizing).
    pub fn resized(&self, width: u32) -> Result<Pixels, String> {
        let height = height_at(width, (self.width, self.height));
        if (width, height) == (self.width, self.height) {
            return Ok(Pixels {
                data: self.data.clone(),
                ..*self
            });
        }
        let source = fr::images::ImageRef::new(self.width, self.height, &self.data, self.kind())
            .map_err(|e| format!("resizing: {e}"))?;
        let mut target = fr::images::Image::new(width, height, self.kind());
        let options = fr::ResizeOptions::new()
            .resize_alg(fr::ResizeAlg::Convolution(fr::FilterType::Lanczos3));
        fr::Resizer::new()
            .resize(&source, &mut target, &options)
            .map_err(|e| format!("resizing: {e}"))?;
        Ok(Pixels {
            data: target.into_vec(),
            width,
            height,
            alpha: self.alpha,
        })
    }

    /// Lossy WebP at `quality`, or lossless.
    pub fn webp(&self, quality: f32, lossless: bool) -> Result<Vec<u8>, String> {
        let mut config =
            webp::WebPConfig::new().map_err(|()| "libwebp has no config".to_string())?;
        config.quality = quality;
        config.method = WEBP_METHOD;
        config.lossless = i32::from(lossless);
        config.use_sharp_yuv = 1;
        let layout = if self.alpha {
            webp::PixelLayout::Rgba
        } else {
            webp::PixelLayout::Rgb
        };
        let encoded = webp::Encoder::new(&self.data, layout, self.width, self.height)
            .encode_advanced(&config)
            .map_err(|e| format!("WebP encoding: {e:?}"))?;
        Ok(encoded.to_vec())
    }

    /// The fallback: a progressive JPEG, or a PNG when the picture has transparency.
    pub fn fallback(&self) -> Result<(Vec<u8>, &'static str), String> {
        let mut out = Vec::new();
        if self.alpha {
            use image::ImageEncoder;
            image::codecs::png::PngEncoder::new_with_quality(
                &mut out,
                image::codecs::png::CompressionType::Best,
                image::codecs::png::FilterType::Adaptive,
            )
            .write_image(
                &self.data,
                self.width,
                self.height,
                image::ExtendedColorType::Rgba8,
            )
            .map_err(|e| format!("PNG encoding: {e}"))?;
            return Ok((out, "png"));
        }
        let (Ok(width), Ok(height)) = (u16::try_from(self.width), u16::try_from(self.height))
        else {
            return Err(format!(
                "a JPEG cannot be {} x {} px",
                self.width, self.height
            ));
        };
        let mut encoder = jpeg_encoder::Encoder::new(&mut out, JPEG_QUALITY);
        encoder.set_progressive(true);
        encoder.set_optimized_huffman_tables(true);
        encoder
            .encode(&self.data, width, height, jpeg_encoder::ColorType::Rgb)
            .map_err(|e| format!("JPEG encoding: {e}"))?;
        Ok((out, "jpg"))
    }

    /// A `data:` URL of a tiny version, painted in the picture's place until it arrives.
    pub fn placeholder(&self) -> Result<String, String> {
        use base64::Engine;
        let longer = self.width.max(self.height).max(1);
        let width = (u64::from(self.width) * u64::from(PLACEHOLDER_SIZE) / u64::from(longer))
            .clamp(1, u64::from(PLACEHOLDER_SIZE)) as u32;
        let small = self.averaged(width, height_at(width, (self.width, self.height)));
        let bytes = small.webp(PLACEHOLDER_QUALITY, false)?;
        Ok(format!(
            "data:image/webp;base64,{}",
            base64::engine::general_purpose::STANDARD.encode(bytes)
        ))
    }
}

impl Pixels {
    /// A `width` x `height` copy, each pixel the mean of the area it covers. Plain integer
    /// arithmetic, so the placeholder (written into every page) is the same on every machine,
    /// whatever its SIMD.
    fn averaged(&self, width: u32, height: u32) -> Pixels {
        let channels = if self.alpha { 4 } else { 3 };
        let (sw, sh) = (self.width as usize, self.height as usize);
        let (w, h) = (width as usize, height as usize);
        let mut data = Vec::with_capacity(w * h * channels);
        for y in 0..h {
            let (y0, y1) = (y * sh / h, ((y + 1) * sh / h).max(y * sh / h + 1));
            for x in 0..w {
                let (x0, x1) = (x * sw / w, ((x + 1) * sw / w).max(x * sw / w + 1));
                let mut sum = [0u64; 4];
                for row in y0..y1 {
                    let start = (row * sw + x0) * channels;
                    for pixel in
                        self.data[start..start + (x1 - x0) * channels].chunks_exact(channels)
                    {
                        for (s, &v) in sum.iter_mut().zip(pixel) {
                            *s += u64::from(v);
                        }
                    }
                }
                let n = ((y1 - y0) * (x1 - x0)) as u64;
                data.extend(sum[..channels].iter().map(|s| ((s + n / 2) / n) as u8));
            }
        }
        Pixels {
            data,
            width,
            height,
            alpha: self.alpha,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ladder_never_goes_wider_than_the_picture_nor_past_its_largest_rung() {
        assert_eq!(ladder(3840, WIDTHS), WIDTHS);
        assert_eq!(ladder(2048, WIDTHS), WIDTHS);
        assert_eq!(ladder(1000, WIDTHS), [320, 400, 480, 640, 720, 800, 1000]);
        // 640 is within 10% of 680: the reader would save nothing by it.
        assert_eq!(ladder(680, WIDTHS), [320, 400, 480, 680]);
        assert_eq!(ladder(1000, &[320, 960]), [320, 960]);
        assert_eq!(ladder(200, WIDTHS), [200]);
        assert_eq!(ladder(1, WIDTHS), [1]);
        assert_eq!(ladder(5000, FALLBACK_WIDTHS), [1280]);
        assert_eq!(ladder(900, FALLBACK_WIDTHS), [900]);
        assert_eq!(ladder(5000, &[640, 1280]), [640, 1280]);
    }

    #[test]
    fn the_placeholder_is_the_mean_of_each_area() {
        let pixels = Pixels {
            data: vec![0, 0, 0, 255, 255, 255, 10, 20, 30, 30, 40, 50],
            width: 4,
            height: 1,
            alpha: false,
        };
        let small = pixels.averaged(2, 1);
        assert_eq!(small.data, [128, 128, 128, 20, 30, 40]);
    }

    #[test]
    fn heights_keep_the_proportions_and_are_never_zero() {
        assert_eq!(height_at(640, (3840, 2160)), 360);
        assert_eq!(height_at(320, (4000, 3000)), 240);
        assert_eq!(height_at(320, (6000, 10)), 1);
        assert_eq!(height_at(2048, (2048, 1365)), 1365);
    }
}
