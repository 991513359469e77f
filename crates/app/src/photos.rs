//! A young person's optional photo. Uploads are decoded within limits and
//! re-encoded as a small JPEG, so no location, camera or other metadata is kept
//! and nothing but a picture is ever served back.

use crate::access::can_read;
use crate::clock::Clock;
use crate::records::editable;
use crate::young_person::placement_of;
use crate::{AppError, FormError, Result};
use image::{ImageFormat, ImageReader, Limits};
use pathways_domain::staff::StaffMember;
use pathways_store::{AuditEntry, Store};
use std::io::Cursor;

/// The largest upload accepted.
pub const MAX_UPLOAD_BYTES: usize = 10 * 1024 * 1024;

/// The longest side of the photo kept, in pixels.
const LONGEST_SIDE: u32 = 480;

/// Why an upload cannot be used, in words for the form.
fn problem(message: &str) -> FormError {
    FormError::Invalid(vec![("photo", message.to_owned())])
}

/// Decodes a JPEG or PNG within limits and re-encodes it as a small JPEG.
pub fn prepare_photo(bytes: &[u8]) -> std::result::Result<Vec<u8>, FormError> {
    if bytes.is_empty() {
        return Err(problem("Select a photo"));
    }
    if bytes.len() > MAX_UPLOAD_BYTES {
        return Err(problem("The photo must be smaller than 10 MB"));
    }
    let mut reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|_| problem("The photo must be a JPEG or PNG"))?;
    if !matches!(reader.format(), Some(ImageFormat::Jpeg | ImageFormat::Png)) {
        return Err(problem("The photo must be a JPEG or PNG"));
    }
    // A small file can claim an enormous picture: refuse before decoding it.
    let mut limits = Limits::default();
    limits.max_image_width = Some(8_000);
    limits.max_image_height = Some(8_000);
    limits.max_alloc = Some(256 * 1024 * 1024);
    reader.limits(limits);
    let picture = reader
        .decode()
        .map_err(|_| problem("The photo could not be read: choose another JPEG or PNG"))?;
    let small = picture.thumbnail(LONGEST_SIDE, LONGEST_SIDE).to_rgb8();
    let mut jpeg = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 85)
        .encode_image(&small)
        .map_err(|_| problem("The photo could not be read: choose another JPEG or PNG"))?;
    Ok(jpeg)
}

/// Saves a photo for a young person whose record `staff` may change.
pub async fn upload_photo(
    store: &Store,
    clock: &dyn Clock,
    staff: &StaffMember,
    id: i64,
    bytes: &[u8],
) -> Result<(), FormError> {
    editable(store, staff, id).await?;
    let jpeg = prepare_photo(bytes)?;
    Ok(store.set_photo(id, &jpeg, staff.id, clock.now()).await?)
}

/// The photo of a young person `staff` may read; every view is audited.
pub async fn view_photo(store: &Store, clock: &dyn Clock, staff: &StaffMember, id: i64) -> Result<Vec<u8>> {
    let placement = placement_of(store, id).await?;
    if !can_read(staff, placement) {
        return Err(AppError::NotFound);
    }
    let jpeg = store.photo(id).await?.ok_or(AppError::NotFound)?;
    let entry = AuditEntry {
        staff_id: Some(staff.id),
        action: "view_young_person".into(),
        young_person_id: Some(id),
        detail: "photo".into(),
    };
    store.record_audit(&entry, clock.now()).await?;
    Ok(jpeg)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(width: u32, height: u32) -> Vec<u8> {
        let picture = image::RgbImage::from_pixel(width, height, image::Rgb([200, 120, 40]));
        let mut bytes = Vec::new();
        picture
            .write_to(&mut Cursor::new(&mut bytes), ImageFormat::Png)
            .unwrap();
        bytes
    }

    #[test]
    fn a_photo_is_re_encoded_as_a_small_jpeg() {
        let jpeg = prepare_photo(&png(1200, 900)).unwrap();
        assert_eq!(&jpeg[..2], &[0xFF, 0xD8], "a JPEG");
        let back = image::load_from_memory(&jpeg).unwrap();
        assert_eq!((back.width(), back.height()), (480, 360));
    }

    #[test]
    fn anything_but_a_readable_jpeg_or_png_is_refused_with_a_reason() {
        let message = |bytes: &[u8]| match prepare_photo(bytes) {
            Err(FormError::Invalid(list)) => list[0].1.clone(),
            other => panic!("{other:?}"),
        };
        assert_eq!(message(b""), "Select a photo");
        assert_eq!(message(b"GIF89a not really"), "The photo must be a JPEG or PNG");
        assert_eq!(message(b"%PDF-1.7"), "The photo must be a JPEG or PNG");
        let mut broken = png(10, 10);
        broken.truncate(40);
        assert_eq!(
            message(&broken),
            "The photo could not be read: choose another JPEG or PNG"
        );
        assert_eq!(
            message(&vec![0; MAX_UPLOAD_BYTES + 1]),
            "The photo must be smaller than 10 MB"
        );
    }
}
