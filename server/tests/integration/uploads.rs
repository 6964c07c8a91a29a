//! Image uploads: decoded, limited, re-encoded without metadata, served with long cache headers.

use crate::common;

use common::png;
use http::StatusCode;

const PW: &str = "jishi2026";

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

/// A valid PNG whose header claims `w`×`h` pixels (a decompression bomb's first bytes).
fn huge_png(w: u32, h: u32) -> Vec<u8> {
    let mut p = png(8, 8, 1);
    p[16..20].copy_from_slice(&w.to_be_bytes());
    p[20..24].copy_from_slice(&h.to_be_bytes());
    let crc = crc32(&p[12..29]);
    p[29..33].copy_from_slice(&crc.to_be_bytes());
    p
}

/// A JPEG carrying an EXIF block with a GPS tag name in it.
fn jpeg_with_exif() -> Vec<u8> {
    let mut jpeg = Vec::new();
    image::DynamicImage::ImageRgb8(image::RgbImage::from_pixel(
        32,
        32,
        image::Rgb([200, 30, 30]),
    ))
    .write_to(
        &mut std::io::Cursor::new(&mut jpeg),
        image::ImageFormat::Jpeg,
    )
    .unwrap();
    let payload = b"Exif\0\0GPSLatitude 26.26N GPSLongitude 107.52E secret-camera-serial";
    let mut app1 = vec![0xFF, 0xE1];
    app1.extend_from_slice(&((payload.len() + 2) as u16).to_be_bytes());
    app1.extend_from_slice(payload);
    let mut out = jpeg[..2].to_vec();
    out.extend(app1);
    out.extend_from_slice(&jpeg[2..]);
    out
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

backend_tests! {
    async fn pictures_are_reencoded_stripped_and_cached_for_long(app: TestApp) {
        app.seed_demo().await;
        let c = app.signed_in("merchant", "duyun_tea", PW).await;
        let photo = jpeg_with_exif();
        assert!(contains(&photo, b"GPSLatitude"));
        let r = c.upload(&photo, "IMG_0001.JPG").await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        let key = r.json()["key"].as_str().unwrap().to_string();
        assert_eq!((r.json()["width"].as_u64(), r.json()["height"].as_u64()), (Some(32), Some(32)));
        for edge in [240, 750, 1500] {
            let file = std::fs::read(format!("{}/media/{key}_{edge}.jpg", app.st.config.data_dir)).unwrap();
            assert!(!contains(&file, b"GPSLatitude") && !contains(&file, b"Exif"), "metadata stripped");
        }
        let served = app.client().get(&format!("/media/{key}_750.jpg")).await;
        assert_eq!(served.status, StatusCode::OK);
        assert_eq!(served.headers["content-type"], "image/jpeg");
        assert_eq!(served.headers["cache-control"], "public, max-age=31536000, immutable");
        let missing = app.client().get("/media/0123456789abcdef0123456789abcdef_750.jpg").await;
        assert_eq!(missing.status, StatusCode::NOT_FOUND);
        let kept = missing.headers.get("cache-control").and_then(|v| v.to_str().ok()).unwrap_or("");
        assert!(!kept.contains("immutable") && !kept.contains("public"), "a miss is not cached for a year: {kept}");
        // the same picture again lands on the same key (content-addressed)
        assert_eq!(c.upload(&photo, "again.jpg").await.json()["key"], key.as_str());
        // PNG too
        assert_eq!(c.upload(&png(20, 10, 9), "a.png").await.status, StatusCode::OK);
    }

    async fn bombs_fakes_and_oversize_files_are_refused_clearly(app: TestApp) {
        app.seed_demo().await;
        let c = app.signed_in("shopper", "13800000001", PW).await;
        let before = app.count("SELECT COUNT(*) FROM images").await;

        let bomb = c.upload(&huge_png(50_000, 50_000), "bomb.png").await;
        assert_eq!(bomb.status, StatusCode::BAD_REQUEST);
        assert!(bomb.text.contains("像素"), "{}", bomb.text);
        let fake = c.upload(b"#!/bin/sh\necho this is not a picture\n", "licence.jpg").await;
        assert_eq!(fake.status, StatusCode::BAD_REQUEST);
        assert!(fake.text.contains("JPEG、PNG或WebP"), "{}", fake.text);
        let gif = c.upload(b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04\x00\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;", "a.gif").await;
        assert_eq!(gif.status, StatusCode::BAD_REQUEST);
        let mut big = png(8, 8, 2);
        big.resize(10 * 1024 * 1024 + 10, 0);
        let big = c.upload(&big, "big.png").await;
        assert_eq!(big.status, StatusCode::BAD_REQUEST);
        assert!(big.text.contains("10MB"), "{}", big.text);

        assert_eq!(app.count("SELECT COUNT(*) FROM images").await, before, "nothing stored");
        assert_eq!(app.client().upload(&png(8, 8, 3), "x.png").await.status, StatusCode::UNAUTHORIZED);
    }
}

/// A 6300×6300 picture that compresses to almost nothing: the cheapest way to make the server
/// decode 40 megapixels.
fn huge_flat_png() -> Vec<u8> {
    let img = image::GrayImage::from_pixel(6300, 6300, image::Luma([200]));
    let mut out = Vec::new();
    image::DynamicImage::ImageLuma8(img)
        .write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)
        .unwrap();
    out
}

/// Four near-limit pictures at once are decoded in turn, and a product page asked for meanwhile
/// is answered before they are done; one account cannot upload without end.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn huge_uploads_queue_and_pages_keep_answering() {
    let app = common::TestApp::spawn(app::infra::db::Backend::Sqlite).await;
    app.seed_demo().await;
    let huge = std::sync::Arc::new(huge_flat_png());
    let mut uploads = Vec::new();
    for _ in 0..4 {
        let c = app.signed_in("shopper", "13800000001", PW).await;
        let huge = huge.clone();
        uploads.push(tokio::spawn(async move {
            let r = c.upload(&huge, "huge.png").await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.text);
            std::time::Instant::now()
        }));
    }
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    let page = app.client().get("/product/1").await;
    let page_done = std::time::Instant::now();
    assert_eq!(page.status, StatusCode::OK);
    let mut last_upload = page_done;
    for u in uploads {
        last_upload = last_upload.max(u.await.unwrap());
    }
    assert!(
        page_done < last_upload,
        "the page did not wait for the uploads"
    );

    let c = app.signed_in("shopper", "13800000002", PW).await;
    let small = png(8, 8, 1);
    for i in 0..app.st.config.uploads_per_hour {
        let r = c.upload(&small, "s.png").await;
        assert_eq!(r.status, StatusCode::OK, "upload {i}: {}", r.text);
    }
    let r = c.upload(&small, "s.png").await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "{}", r.text);
    let other = app.signed_in("shopper", "13800000003", PW).await;
    assert_eq!(
        other.upload(&small, "s.png").await.status,
        StatusCode::OK,
        "others unaffected"
    );
}
