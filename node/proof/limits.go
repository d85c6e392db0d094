package proof

// Limits on what a verifier reads. Each bounds the time and memory one
// bundle can cost before it is refused (a verifier may run in a browser
// tab, or in a service that checks bundles sent by strangers), and is far
// above what a real bundle of this registry needs: a bundle with 4 to 20
// validators is 5 to 20 KB, plus 3.5 to 10 KB per header-chain link.
const (
	// MaxBundleBytes caps the file: about 3 s of signature checks natively
	// at worst (every byte a signature), and no bundle of a network of up
	// to a hundred validators comes near it.
	MaxBundleBytes = 8 << 20
	// MaxChainLinks caps the header chain. A chain needs one link per
	// point where less than 1/3 of the trusted power is still in the set;
	// a registry whose validators change every month needs fewer than
	// 200 links over ten years. Verifiers wanting shorter chains use a
	// fresher trust root.
	MaxChainLinks = 1000
	// MaxValidators caps a validator set (CometBFT networks run 100-200).
	MaxValidators = 500
	// MaxJSONDepth caps nesting: a bundle needs 6 levels, a record about 5.
	MaxJSONDepth = 32
	// MaxAlso caps a v2 bundle's extra entries (a kind needs at most 2).
	MaxAlso = 4
)
