//! Reusable pieces of the screens.

pub mod attendance;
pub mod dialogs;
pub mod fields;
pub mod fkey_bar;
pub mod form;
pub mod help;
pub mod path_prompt;
pub mod pick_list;
pub mod table;

/// A box of `width` × `height` (cut to `area`) in the middle of `area`: the
/// one placement of every popup (dialogs, pick lists, help).
pub fn centred(area: ratatui::layout::Rect, width: u16, height: u16) -> ratatui::layout::Rect {
    let (w, h) = (width.min(area.width), height.min(area.height));
    ratatui::layout::Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    }
}

/// Moves the first row shown (`top`) so that the selected row `sel` is
/// among the `height` rows on screen: the one scroll rule of every list.
pub fn keep_in_view(top: &mut usize, sel: usize, height: usize) {
    if sel < *top {
        *top = sel;
    } else if height > 0 && sel >= *top + height {
        *top = sel + 1 - height;
    }
}

#[cfg(test)]
mod scroll_tests {
    use super::keep_in_view;

    #[test]
    fn a_popup_sits_in_the_middle_and_never_outside() {
        use ratatui::layout::Rect;
        let area = Rect::new(0, 1, 80, 22);
        assert_eq!(super::centred(area, 44, 16), Rect::new(18, 4, 44, 16));
        assert_eq!(super::centred(area, 100, 40), area);
    }

    #[test]
    fn the_selected_row_stays_on_screen() {
        let mut top = 0;
        keep_in_view(&mut top, 12, 10);
        assert_eq!(top, 3);
        keep_in_view(&mut top, 5, 10);
        assert_eq!(top, 3);
        keep_in_view(&mut top, 1, 10);
        assert_eq!(top, 1);
        keep_in_view(&mut top, 7, 0);
        assert_eq!(top, 1);
    }
}
