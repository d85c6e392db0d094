package types

import module "github.com/jcredit/jcredit/x/module/base" // module.Key etc. without ABCI (base doc)

// Offers of credits for sale (issue 14), under StorePrefix:
//
//	of/<offer id>   -> Offer (open offers only; a withdrawn offer is deleted)
//
// Offer ids are sequential, so the list is in publication order.
var OfferPrefix = []byte("of/")

// SeqOffer names the offer sequence.
const SeqOffer = "offer"

const offerTag = "OF"

// OfferID is the id of offer number n, "OF-00000001".
func OfferID(n uint64) string { return recordID(offerTag, n) }

// ParseOfferID returns the number of an offer id; only the canonical
// spelling is accepted.
func ParseOfferID(id string) (uint64, bool) { return parseRecordID(offerTag, id) }

// OfferKey is the key of an offer record.
func OfferKey(id string) []byte { return module.Key(OfferPrefix, []byte(id)) }
