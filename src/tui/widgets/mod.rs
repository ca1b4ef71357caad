//! Reusable pieces of the screens.

pub mod attendance;
pub mod dialogs;
pub mod fields;
pub mod fkey_bar;
pub mod form;
pub mod help;
pub mod pick_list;
pub mod table;

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
