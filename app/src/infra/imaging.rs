//! Turning an uploaded file into safe images: the format is decided by decoding (never by the
//! file name), size and pixel count are capped before any pixel is allocated (decompression
//! bombs), and the picture is re-encoded from pixels, so no metadata (EXIF, GPS) survives.
//! CPU- and memory-heavy (a 40-megapixel picture decodes to 160 MB): call [`process`] through
//! `services::uploads`, which runs one at a time per core pair off the async runtime.

use std::io::Cursor;

use image::codecs::jpeg::JpegEncoder;
use image::imageops::FilterType;
use image::metadata::Orientation;
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits};
use sha2::{Digest, Sha256};

use crate::error::AppError;

pub const MAX_UPLOAD_BYTES: usize = 10 * 1024 * 1024;
pub const MAX_PIXELS: u64 = 40_000_000;
/// Longest edge of each stored variant: list thumbnail, phone width, zoom.
pub const VARIANTS: [u32; 3] = [240, 750, 1500];
const JPEG_QUALITY: u8 = 82;

/// The re-encoded variants of one upload, named by the hash of the largest one.
#[derive(Debug)]
pub struct Processed {
    pub key: String,
    pub width: u32,
    pub height: u32,
    /// (longest edge, JPEG bytes), one per [`VARIANTS`] entry
    pub variants: Vec<(u32, Vec<u8>)>,
}

pub fn process(bytes: &[u8]) -> Result<Processed, AppError> {
    if bytes.len() > MAX_UPLOAD_BYTES {
        return Err(AppError::bad_request("图片不能超过10MB"));
    }
    let not_image = || AppError::bad_request("只支持JPEG、PNG或WebP格式的图片");
    let reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|_| not_image())?;
    match reader.format() {
        Some(ImageFormat::Jpeg | ImageFormat::Png | ImageFormat::WebP) => {}
        _ => return Err(not_image()),
    }
    let mut decoder = reader.into_decoder().map_err(|_| not_image())?;
    let (w, h) = decoder.dimensions();
    if u64::from(w) * u64::from(h) > MAX_PIXELS {
        return Err(AppError::bad_request(
            "图片像素过大（最多4000万像素），请压缩后再上传",
        ));
    }
    if w == 0 || h == 0 {
        return Err(not_image());
    }
    let mut limits = Limits::default();
    // RGBA at 40 MP is 160 MB; anything beyond that is refused inside the decoder as well.
    limits.max_alloc = Some(MAX_PIXELS * 4 + 16 * 1024 * 1024);
    decoder.set_limits(limits).map_err(|_| not_image())?;
    let orientation = decoder.orientation().ok();
    let decoded = DynamicImage::from_decoder(decoder).map_err(|_| not_image())?;
    // Shrink to the largest variant first, with `thumbnail` (integer area averaging, no float
    // copy of the picture: `resize` would allocate 16 bytes per pixel of one axis), and let
    // go of the full-size pixels before anything else is allocated. Peak memory is then the
    // decoded picture plus a 1500 px one.
    let largest_edge = VARIANTS[VARIANTS.len() - 1];
    let mut base = if w.max(h) > largest_edge {
        decoded.thumbnail(largest_edge, largest_edge)
    } else {
        decoded
    };
    let (mut width, mut height) = (w, h);
    if let Some(o) = orientation {
        base.apply_orientation(o);
        if matches!(
            o,
            Orientation::Rotate90
                | Orientation::Rotate270
                | Orientation::Rotate90FlipH
                | Orientation::Rotate270FlipH
        ) {
            (width, height) = (h, w);
        }
    }
    let base = DynamicImage::ImageRgb8(flatten_on_white(base));

    let mut variants = Vec::with_capacity(VARIANTS.len());
    for edge in VARIANTS {
        let scaled = if base.width().max(base.height()) > edge {
            base.resize(edge, edge, FilterType::Triangle)
        } else {
            base.clone()
        };
        let mut out = Vec::new();
        JpegEncoder::new_with_quality(&mut out, JPEG_QUALITY)
            .encode_image(&scaled)
            .map_err(AppError::internal)?;
        variants.push((edge, out));
    }
    let largest = &variants.last().expect("three variants").1;
    let key = hex::encode(&Sha256::digest(largest)[..16]);
    Ok(Processed {
        key,
        width,
        height,
        variants,
    })
}

/// Transparent pixels become white (JPEG has no alpha).
fn flatten_on_white(img: DynamicImage) -> image::RgbImage {
    if !img.color().has_alpha() {
        return img.into_rgb8();
    }
    let rgba = img.into_rgba8();
    let mut out = image::RgbImage::new(rgba.width(), rgba.height());
    for (o, p) in out.pixels_mut().zip(rgba.pixels()) {
        let a = u16::from(p[3]);
        for c in 0..3 {
            o[c] = ((u16::from(p[c]) * a + 255 * (255 - a)) / 255) as u8;
        }
    }
    out
}

/// The file name of one variant of `key`.
pub fn variant_name(key: &str, edge: u32) -> String {
    format!("{key}_{edge}.jpg")
}

/// Whether `key` looks like one [`process`] produced (so it is safe inside a path or URL).
pub fn is_image_key(key: &str) -> bool {
    key.len() == 32
        && key
            .bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(w: u32, h: u32) -> Vec<u8> {
        let img = image::RgbaImage::from_fn(w, h, |x, y| {
            image::Rgba([
                (x % 256) as u8,
                (y % 256) as u8,
                90,
                if x < 5 { 0 } else { 255 },
            ])
        });
        let mut out = Vec::new();
        DynamicImage::ImageRgba8(img)
            .write_to(&mut Cursor::new(&mut out), ImageFormat::Png)
            .unwrap();
        out
    }

    #[test]
    fn a_picture_becomes_three_jpeg_sizes() {
        let p = process(&png(2000, 1000)).unwrap();
        assert_eq!((p.width, p.height), (2000, 1000));
        assert!(is_image_key(&p.key));
        let dims: Vec<(u32, u32)> = p
            .variants
            .iter()
            .map(|(_, bytes)| {
                let img = image::load_from_memory(bytes).unwrap();
                assert_eq!(image::guess_format(bytes).unwrap(), ImageFormat::Jpeg);
                (img.width(), img.height())
            })
            .collect();
        assert_eq!(dims, vec![(240, 120), (750, 375), (1500, 750)]);
        // same pixels, same key: uploads are content-addressed
        assert_eq!(process(&png(2000, 1000)).unwrap().key, p.key);
    }

    #[test]
    fn small_pictures_are_not_enlarged() {
        let p = process(&png(100, 80)).unwrap();
        for (_, bytes) in &p.variants {
            let img = image::load_from_memory(bytes).unwrap();
            assert_eq!((img.width(), img.height()), (100, 80));
        }
    }

    fn crc32(bytes: &[u8]) -> u32 {
        let mut crc = 0xFFFF_FFFFu32;
        for &b in bytes {
            crc ^= u32::from(b);
            for _ in 0..8 {
                crc = if crc & 1 == 1 {
                    (crc >> 1) ^ 0xEDB8_8320
                } else {
                    crc >> 1
                };
            }
        }
        !crc
    }

    #[test]
    fn non_images_and_bombs_are_refused() {
        let text = b"not an image at all, just text renamed to .jpg".to_vec();
        assert!(matches!(process(&text), Err(AppError::BadRequest(m)) if m.contains("格式")));
        let gif = b"GIF89a\x01\x00\x01\x00\x00\x00\x00;".to_vec();
        assert!(process(&gif).is_err());
        // a 10000 x 5000 PNG header: refused from its header, before decoding
        let mut bomb = png(1, 1);
        bomb[16..20].copy_from_slice(&10_000u32.to_be_bytes());
        bomb[20..24].copy_from_slice(&5_000u32.to_be_bytes());
        let crc = crc32(&bomb[12..29]);
        bomb[29..33].copy_from_slice(&crc.to_be_bytes());
        assert!(matches!(process(&bomb), Err(AppError::BadRequest(m)) if m.contains("像素")));
        let big = vec![0u8; MAX_UPLOAD_BYTES + 1];
        assert!(matches!(process(&big), Err(AppError::BadRequest(m)) if m.contains("10MB")));
    }
}
