//! Fee shares, kept in books: a book holds the fees of one token, spread
//! over the weight in force when each arrived; members claim their share, or
//! anyone pays shares out in batches. A share is always paid in the token
//! its fees arrived in: when the broker's stablecoin changes, the book closes
//! and its shares stay payable in its token (`claim_closed_share`).
use crate::{
    data::{BrokerPort, CommunityData, CommunityMaps, Events, FeeTokens},
    errors::CommunityError,
    events::*,
    types::*,
};
use ink::{
    prelude::{vec, vec::Vec},
    primitives::AccountId,
};
use p2pcloud_common::{ensure, Store};

type Result<T> = core::result::Result<T, CommunityError>;

impl<M: CommunityMaps> CommunityData<M> {
    /// Withdraws the community's fees from the broker and spreads them over
    /// the current weight.
    pub fn collect_fees(&mut self, broker: &mut impl BrokerPort) -> Result<Events> {
        let events = self.collect_waiting_fees(broker)?;
        ensure(!events.is_empty(), CommunityError::NothingToCollect)?;
        Ok(events)
    }

    /// Shares what the community holds of the current book's token beyond
    /// what it owes (sent straight to it: a donation, a migration's or
    /// another community's payment), without asking the broker. A share of
    /// the current book waits for that (`pay`), and a collection may be
    /// unable to run: a broker that refuses this community (a successor's
    /// code may), or a withdrawal that cannot pass its check.
    pub fn share_surplus(&mut self, tokens: &mut impl FeeTokens) -> Result<Events> {
        let events = self.collect_in_book(tokens, 0)?;
        ensure(!events.is_empty(), CommunityError::NothingToCollect)?;
        Ok(events)
    }

    /// Withdraws what waits in the broker, at most a book's worth, follows
    /// the broker's stablecoin, then shares what was withdrawn and what
    /// arrived in the book's token without a collection. Runs before every
    /// membership or weight change, so fees are shared by the weights in
    /// force when they reached the community: a member who joins, or gains
    /// weight, gets nothing of fees settled before.
    pub(crate) fn collect_waiting_fees(&mut self, broker: &mut impl BrokerPort) -> Result<Events> {
        if let BrokerLink::Planned { .. } = self.config.broker {
            // No broker yet, so no fees.
            return Ok(Vec::new());
        }
        let withdrawn = broker.withdraw_fees(MAX_BOOK_FEES)?;
        let mut events = self.follow_stablecoin(broker, withdrawn.stablecoin)?;
        events.extend(self.collect_in_book(broker, withdrawn.amount)?);
        Ok(events)
    }

    /// When the broker's stablecoin is no longer the book's token (a
    /// migration finished, even one run by a successor community), the book
    /// takes what arrived in its token, then closes, and a book in the new
    /// token opens. A token being left that no longer answers counts as
    /// nothing arrived: it cannot keep the community from following.
    pub(crate) fn follow_stablecoin(
        &mut self,
        broker: &mut impl BrokerPort,
        stablecoin: AccountId,
    ) -> Result<Events> {
        let token = self.config.book.token;
        if stablecoin == token {
            return Ok(Vec::new());
        }
        let held = self.held.get(&token).unwrap_or_default();
        let arrived = broker
            .balance(token)
            .map_or(0, |balance| balance.saturating_sub(held));
        let mut events = self.take(arrived)?;
        events.extend(self.open_book(stablecoin)?);
        Ok(events)
    }

    /// Shares `withdrawn` (what the broker just sent in the book's token)
    /// and what the community holds of that token beyond what it owes and
    /// `withdrawn` (paid straight to it: a migration pays its broker balance
    /// so, or sent to it). When the broker sent something, one balance read
    /// after it must show both what the community owes and `withdrawn`: a
    /// donation can make up a token's shortfall, never what is owed. With
    /// nothing sent there is nothing to check, so a community left short (its
    /// tokens seized, say) is not stopped. A failure writes nothing.
    pub(crate) fn collect_in_book(
        &mut self,
        tokens: &mut impl FeeTokens,
        withdrawn: Balance,
    ) -> Result<Events> {
        let token = self.config.book.token;
        let held = self.held.get(&token).unwrap_or_default();
        let after = tokens.balance(token)?;
        let owned = held
            .checked_add(withdrawn)
            .filter(|owned| withdrawn == 0 || *owned <= after)
            .ok_or(CommunityError::TokenBalanceMismatch)?;
        let mut events = self.take(after.saturating_sub(owned))?;
        events.extend(self.take(withdrawn)?);
        Ok(events)
    }

    /// Shares `amount`, held now in the book's token, in the current book,
    /// or in a new book of the same token if it lacks the room. Fees always
    /// fit a fresh book; a donation past it stays unshared.
    fn take(&mut self, amount: Balance) -> Result<Events> {
        if amount == 0 {
            return Ok(Vec::new());
        }
        let mut events = Vec::new();
        if amount > MAX_BOOK_FEES.saturating_sub(self.config.book.collected) {
            events.extend(self.open_book(self.config.book.token)?);
        }
        let room = MAX_BOOK_FEES.saturating_sub(self.config.book.collected);
        events.extend(self.distribute(amount.min(room))?);
        Ok(events)
    }

    /// Closes the current book (unless it took nothing: it is then only
    /// pointed at `token`) and opens the next one in `token`. In the same
    /// token the rounding rest carries over; a closing token's rest (less
    /// than `MAX_TOTAL_WEIGHT / SHARE_PRECISION` units) stays with the community.
    fn open_book(&mut self, token: AccountId) -> Result<Events> {
        let old = &self.config.book;
        let mut book = old.id;
        if old.collected > 0 {
            let closed = ClosedBook {
                token: old.token,
                fees_per_weight: old.fees_per_weight,
                precision: SHARE_PRECISION,
            };
            self.closed_books.insert(&book, &closed);
            book = book.checked_add(1).ok_or(CommunityError::Overflow)?;
        }
        let rest = if old.token == token {
            old.undistributed_scaled
        } else {
            0
        };
        self.config.book = FeeBook {
            undistributed_scaled: rest,
            ..FeeBook::open(book, token)
        };
        Ok(vec![CommunityEvent::FeeBookOpened(FeeBookOpened {
            book,
            token,
        })])
    }

    /// Spreads `received`, now held by the community in the book's token,
    /// over the current weight; `received` fits the book's room.
    fn distribute(&mut self, received: Balance) -> Result<Events> {
        let book = &self.config.book;
        let total_weight = u128::from(self.config.total_weight);
        let scaled = received
            .checked_mul(SHARE_PRECISION)
            .and_then(|s| s.checked_add(book.undistributed_scaled))
            .ok_or(CommunityError::Overflow)?;
        let per_weight = scaled
            .checked_div(total_weight)
            .ok_or(CommunityError::Overflow)?;
        let remainder = scaled
            .checked_rem(total_weight)
            .ok_or(CommunityError::Overflow)?;
        let fees_per_weight = book
            .fees_per_weight
            .checked_add(per_weight)
            .ok_or(CommunityError::Overflow)?;
        let collected = book
            .collected
            .checked_add(received)
            .filter(|total| *total <= MAX_BOOK_FEES)
            .ok_or(CommunityError::Overflow)?;
        let held = self
            .held
            .get(&book.token)
            .unwrap_or_default()
            .checked_add(received)
            .ok_or(CommunityError::Overflow)?;

        self.held.insert(&book.token, &held);
        let book = &mut self.config.book;
        book.fees_per_weight = fees_per_weight;
        book.undistributed_scaled = remainder;
        book.collected = collected;
        Ok(vec![CommunityEvent::FeesCollected(FeesCollected {
            amount: received,
            token: book.token,
        })])
    }

    /// What `account` could claim right now in the current book.
    pub fn claimable(&self, account: AccountId) -> Balance {
        self.payout(account).map_or(0, |payout| payout.amount)
    }

    pub fn closed_book(&self, book: u32) -> Option<ClosedBook> {
        self.closed_books.get(&book)
    }

    /// What `account` could claim right now in the closed book `book`.
    pub fn closed_claimable(&self, book: u32, account: AccountId) -> Balance {
        self.closed_payout(book, account)
            .map_or(0, |payout| payout.amount)
    }

    /// Pays the caller their share of the current book.
    pub fn claim_share(
        &mut self,
        caller: AccountId,
        tokens: &mut impl FeeTokens,
    ) -> Result<Events> {
        let payout = self.payout(caller)?;
        self.pay(vec![payout], tokens)
    }

    /// Pays the caller their share of the closed book `book`, in its token.
    pub fn claim_closed_share(
        &mut self,
        caller: AccountId,
        book: u32,
        tokens: &mut impl FeeTokens,
    ) -> Result<Events> {
        let payout = self.closed_payout(book, caller)?;
        self.pay(vec![payout], tokens)
    }

    /// Pays out the current book's shares of the member records from
    /// `start`, `limit` of them (in the order the accounts first became
    /// members; `limit` from 1 to `MAX_PAYOUT_BATCH`), skipping those with
    /// nothing to claim, and returns where the next batch starts
    /// (`member_records` once all are done). Anyone may call it, so no fee
    /// waits on a member who never claims.
    pub fn pay_out_shares(
        &mut self,
        start: u32,
        limit: u32,
        tokens: &mut impl FeeTokens,
    ) -> Result<(u32, Events)> {
        ensure(
            limit > 0 && limit <= MAX_PAYOUT_BATCH,
            CommunityError::BatchLimitOutOfRange,
        )?;
        let records = self.config.member_records;
        ensure(start < records, CommunityError::PayoutStartOutOfRange)?;
        let end = start.saturating_add(limit).min(records);
        let mut payouts = Vec::new();
        for index in start..end {
            let account = self
                .member_index
                .get(&index)
                .ok_or(CommunityError::UnknownMember)?;
            match self.payout(account) {
                Ok(payout) => payouts.push(payout),
                Err(CommunityError::NothingToClaim) => {}
                Err(error) => return Err(error),
            }
        }
        let events = self.pay(payouts, tokens)?;
        Ok((end, events))
    }

    /// What `account` is paid now from the current book: the whole units of
    /// its settled share, the fraction kept.
    fn payout(&self, account: AccountId) -> Result<Payout> {
        let member = self
            .members
            .get(&account)
            .ok_or(CommunityError::NotMember)?;
        let (mut member, closed) = self.settled(account, &member)?;
        let (amount, rest) = split_units(member.owed_scaled, SHARE_PRECISION)?;
        member.owed_scaled = rest;
        Ok(Payout {
            account,
            token: self.config.book.token,
            amount,
            record: Record::Member { member, closed },
        })
    }

    /// What `account` is paid now from the closed book `book`.
    fn closed_payout(&self, book: u32, account: AccountId) -> Result<Payout> {
        let closed_book = self
            .closed_books
            .get(&book)
            .ok_or(CommunityError::UnknownBook)?;
        let member = self
            .members
            .get(&account)
            .ok_or(CommunityError::NotMember)?;
        // A share not yet moved out of the member's record counts too.
        let (member, closed) = self.settled(account, &member)?;
        // `closed` holds at most one share per book.
        let settling = closed
            .iter()
            .find(|(id, _)| *id == book)
            .map_or(0, |(_, owed)| *owed);
        let owed = self
            .closed_shares
            .get(&(book, account))
            .unwrap_or_default()
            .checked_add(settling)
            .ok_or(CommunityError::Overflow)?;
        let (amount, rest) = split_units(owed, closed_book.precision)?;
        let closed = closed.into_iter().filter(|(id, _)| *id != book).collect();
        Ok(Payout {
            account,
            token: closed_book.token,
            amount,
            record: Record::Closed {
                book,
                rest,
                member,
                closed,
            },
        })
    }

    /// Sends every payout, then records them: a failed transfer leaves every
    /// record as it was. A share of the current book reads the balance once,
    /// after its transfer: the community must then hold exactly what it
    /// still owes in the book's token. Anything more may be fees owed to
    /// every member (a migration's payment straight in, a donation, a share
    /// another community paid this one), which the next collection shares by
    /// weight, or what the token did not move; the payment waits for a
    /// collection (or `share_surplus`) to share it rather than guess. A
    /// closed book's share is sent exactly, reading before and after: no
    /// collection shares its token any more.
    fn pay(&mut self, payouts: Vec<Payout>, tokens: &mut impl FeeTokens) -> Result<Events> {
        let mut owed = self.held.get(&self.config.book.token).unwrap_or_default();
        for payout in &payouts {
            match payout.record {
                Record::Member { .. } => {
                    tokens.send_owed(payout.token, payout.account, payout.amount, owed)?;
                    // Cannot underflow: the community owes every share it pays.
                    owed = owed.saturating_sub(payout.amount);
                }
                Record::Closed { .. } => {
                    tokens.send(payout.token, payout.account, payout.amount)?
                }
            }
        }
        let mut events = Vec::with_capacity(payouts.len());
        for payout in payouts {
            // Cannot underflow: a share is part of what its token's books took.
            let held = self.held.get(&payout.token).unwrap_or_default();
            self.held
                .insert(&payout.token, &held.saturating_sub(payout.amount));
            match payout.record {
                Record::Member { member, closed } => {
                    self.store_settled(payout.account, &member, closed)?
                }
                Record::Closed {
                    book,
                    rest,
                    member,
                    closed,
                } => {
                    self.store_settled(payout.account, &member, closed)?;
                    self.closed_shares.insert(&(book, payout.account), &rest);
                }
            }
            events.push(CommunityEvent::ShareClaimed(ShareClaimed {
                member: payout.account,
                amount: payout.amount,
                token: payout.token,
            }));
        }
        Ok(events)
    }

    /// Settles `account`'s share and stores the record: what any change of
    /// its weight starts with.
    pub(crate) fn settle(&mut self, account: AccountId, member: &Member) -> Result<Member> {
        let (member, closed) = self.settled(account, member)?;
        self.store_settled(account, &member, closed)?;
        Ok(member)
    }

    /// The member settled in the current book, and what it is owed in each
    /// book that closed since it was last settled (scaled), to be kept apart.
    pub(crate) fn settled(
        &self,
        account: AccountId,
        member: &Member,
    ) -> Result<(Member, Vec<(u32, u128)>)> {
        let weight = u128::from(member.weight);
        let mut book = self.member_books.get(&account).unwrap_or_default();
        let mut owed = member.owed_scaled;
        let mut settled_per_weight = member.settled_per_weight;
        let mut closed = Vec::new();
        while book < self.config.book.id {
            let closed_book = self
                .closed_books
                .get(&book)
                .ok_or(CommunityError::UnknownBook)?;
            let share = earned(
                closed_book.fees_per_weight,
                settled_per_weight,
                weight,
                owed,
            )?;
            if share > 0 {
                closed.push((book, share));
            }
            // Every book opens at zero per weight.
            (owed, settled_per_weight) = (0, 0);
            book = book.checked_add(1).ok_or(CommunityError::Overflow)?;
        }
        let fees_per_weight = self.config.book.fees_per_weight;
        let owed_scaled = earned(fees_per_weight, settled_per_weight, weight, owed)?;
        let member = Member {
            owed_scaled,
            settled_per_weight: fees_per_weight,
            ..member.clone()
        };
        Ok((member, closed))
    }

    /// Keeps a settled member and its shares of books closed since.
    fn store_settled(
        &mut self,
        account: AccountId,
        member: &Member,
        closed: Vec<(u32, u128)>,
    ) -> Result<()> {
        for (book, share) in closed {
            let owed = self
                .closed_shares
                .get(&(book, account))
                .unwrap_or_default()
                .checked_add(share)
                .ok_or(CommunityError::Overflow)?;
            self.closed_shares.insert(&(book, account), &owed);
        }
        self.member_books.insert(&account, &self.config.book.id);
        self.members.insert(&account, member);
        Ok(())
    }
}

/// `owed` plus what `weight` earned since the book stood at `settled` per
/// weight, scaled; within a book's bounds it cannot overflow.
fn earned(fees_per_weight: u128, settled: u128, weight: u128, owed: u128) -> Result<u128> {
    fees_per_weight
        .checked_sub(settled)
        .and_then(|delta| delta.checked_mul(weight))
        .and_then(|earned| earned.checked_add(owed))
        .ok_or(CommunityError::Overflow)
}

/// The whole units of a share scaled by `precision` and the fraction left,
/// refusing a share below one unit.
fn split_units(scaled: u128, precision: u128) -> Result<(Balance, u128)> {
    let amount = scaled.checked_div(precision).unwrap_or_default();
    ensure(amount > 0, CommunityError::NothingToClaim)?;
    let rest = scaled
        .checked_rem(precision)
        .ok_or(CommunityError::Overflow)?;
    Ok((amount, rest))
}

/// A share about to be paid: to whom, in which token, how much, and the
/// records after.
struct Payout {
    account: AccountId,
    token: AccountId,
    amount: Balance,
    record: Record,
}

/// What a payout leaves in storage: the member settled, its shares of books
/// closed since, and for a closed book's payout the fraction left there.
enum Record {
    Member {
        member: Member,
        closed: Vec<(u32, u128)>,
    },
    Closed {
        book: u32,
        rest: u128,
        member: Member,
        closed: Vec<(u32, u128)>,
    },
}
