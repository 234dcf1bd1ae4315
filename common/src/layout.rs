//! What both contracts share about their storage layouts.

/// `migrate_storage` rewrote the contract's storage from layout `from` into `to`.
#[ink::event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StorageMigrated {
    pub from: u16,
    pub to: u16,
}

/// Brings the stored `layout` to this build's `current` one with `migrate`
/// (given the stored layout), once. Returns the event to emit, or `None` when
/// the layout was current and nothing ran.
pub fn migrate_layout<E>(
    layout: &mut u16,
    current: u16,
    migrate: impl FnOnce(u16) -> Result<(), E>,
) -> Result<Option<StorageMigrated>, E> {
    let from = *layout;
    if from == current {
        return Ok(None);
    }
    migrate(from)?;
    *layout = current;
    Ok(Some(StorageMigrated { from, to: current }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_layout_is_migrated_once_and_only_when_it_is_not_current() {
        let mut layout = 1;
        let mut runs = Vec::new();
        let event = migrate_layout(&mut layout, 2, |from| {
            runs.push(from);
            Ok::<(), ()>(())
        });
        assert_eq!(event, Ok(Some(StorageMigrated { from: 1, to: 2 })));
        assert_eq!(layout, 2);
        let again = migrate_layout(&mut layout, 2, |from| {
            runs.push(from);
            Ok::<(), ()>(())
        });
        assert_eq!(again, Ok(None));
        assert_eq!(runs, vec![1]);
    }

    #[test]
    fn a_failed_migration_leaves_the_layout() {
        let mut layout = 3;
        assert_eq!(
            migrate_layout(&mut layout, 1, |_| Err("unknown")),
            Err("unknown")
        );
        assert_eq!(layout, 3);
    }
}
