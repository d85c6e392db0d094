package credits

import (
	"encoding/binary"
	"strconv"

	"google.golang.org/protobuf/proto"

	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
	queryv1 "github.com/jcredit/jcredit/proto/jcredit/query/v1"
	"github.com/jcredit/jcredit/x/credits/types"
	"github.com/jcredit/jcredit/x/module"
)

// The statistics' queries (stats.go keeps the counters).
//
//	Stats          st/<dim><measure>: one row per value of the dimension,
//	               walked along one measure's counters (issued for the batch
//	               dimensions, retired for fiscal year and use), the row's
//	               other measures read beside it
//	AccountTotals  ta/<account>: by use (every use first), then year

// measures of a batch dimension's row and of a retirement dimension's.
var (
	batchMeasures = []creditsv1.StatMeasure{
		creditsv1.StatMeasure_STAT_MEASURE_ISSUED, creditsv1.StatMeasure_STAT_MEASURE_LOCKED, creditsv1.StatMeasure_STAT_MEASURE_RETIRED,
		creditsv1.StatMeasure_STAT_MEASURE_CANCELLED,
	}
	retirementMeasures = []creditsv1.StatMeasure{
		creditsv1.StatMeasure_STAT_MEASURE_RETIRED, creditsv1.StatMeasure_STAT_MEASURE_RETIREMENTS,
	}
	// useMeasures: by use, records are not counted (a retirement of
	// several uses would count in each).
	useMeasures = []creditsv1.StatMeasure{creditsv1.StatMeasure_STAT_MEASURE_RETIRED}
)

func (k *Keeper) queryStats(q module.QueryContext, req *creditsv1.QueryStatsRequest) (*creditsv1.QueryStatsResponse, error) {
	pg, err := module.NewPage(q, req.Page)
	if err != nil {
		return nil, err
	}
	if req.Use != 0 && types.UseCode(req.Use) == "" {
		return nil, module.ErrBadQuery.Wrapf("use %d is not a use", req.Use)
	}
	if req.FiscalYear != 0 && (req.FiscalYear < MinFiscalYear || req.FiscalYear > MaxFiscalYear) {
		return nil, module.ErrBadQuery.Wrapf("fiscal_year %d: retirements report years %d to %d", req.FiscalYear, MinFiscalYear, MaxFiscalYear)
	}
	st := store(q.Store)
	dim := req.Dimension
	if dim == creditsv1.StatDimension_STAT_DIMENSION_UNSPECIFIED {
		dim = creditsv1.StatDimension_STAT_DIMENSION_TOTAL
	}
	out := &creditsv1.QueryStatsResponse{}
	filtered := req.Use != 0 || req.FiscalYear != 0
	switch dim {
	case creditsv1.StatDimension_STAT_DIMENSION_TOTAL:
		// One row: the whole registry, or the retirements of a use, a year
		// or a use in a year.
		row := &creditsv1.StatRow{Dimension: dim, Use: req.Use, FiscalYear: req.FiscalYear}
		switch {
		case !filtered:
			fillRow(st, row, types.DimTotal, nil, append(batchMeasures, creditsv1.StatMeasure_STAT_MEASURE_RETIREMENTS))
		case req.Use != 0 && req.FiscalYear != 0:
			fillRow(st, row, types.DimUseFiscalYear, types.UseYearValue(req.Use, req.FiscalYear), useMeasures)
		case req.Use != 0:
			fillRow(st, row, types.DimUse, types.UseValue(req.Use), useMeasures)
		default:
			fillRow(st, row, types.DimFiscalYear, types.YearValue(req.FiscalYear), retirementMeasures)
		}
		out.Rows = []*creditsv1.StatRow{row}
		out.Page = &queryv1.PageResponse{Height: q.Height, Scanned: 1}
		return out, nil
	case creditsv1.StatDimension_STAT_DIMENSION_CATEGORY, creditsv1.StatDimension_STAT_DIMENSION_VINTAGE_YEAR,
		creditsv1.StatDimension_STAT_DIMENSION_METHODOLOGY, creditsv1.StatDimension_STAT_DIMENSION_PREFECTURE:
		if filtered {
			return nil, module.ErrBadQuery.Wrapf("use and fiscal_year narrow retirements (dimensions total, fiscal_year, use); %s counts batches", dimName(dim))
		}
		d := byte(dim)
		out.Page, err = pg.Walk(st, types.StatPrefix(d, creditsv1.StatMeasure_STAT_MEASURE_ISSUED), func(value, _ []byte) (bool, error) {
			row, err := statRow(dim, value)
			if err != nil {
				return false, err
			}
			fillRow(st, row, d, value, batchMeasures)
			out.Rows = append(out.Rows, row)
			return true, nil
		})
	case creditsv1.StatDimension_STAT_DIMENSION_FISCAL_YEAR:
		if req.FiscalYear != 0 {
			return nil, module.ErrBadQuery.Wrapf("dimension fiscal_year lists every year; for one year leave the dimension unset (the total) or use dimension use")
		}
		d, prefix := types.DimFiscalYear, types.StatPrefix(types.DimFiscalYear, creditsv1.StatMeasure_STAT_MEASURE_RETIRED)
		if req.Use != 0 {
			d, prefix = types.DimUseFiscalYear, types.StatKey(types.DimUseFiscalYear, creditsv1.StatMeasure_STAT_MEASURE_RETIRED, types.UseValue(req.Use))
		}
		out.Page, err = pg.Walk(st, prefix, func(year, _ []byte) (bool, error) {
			row, err := statRow(dim, year)
			if err != nil {
				return false, err
			}
			row.Use = req.Use
			value, measures := year, retirementMeasures
			if req.Use != 0 {
				value, measures = types.UseYearValue(req.Use, row.FiscalYear), useMeasures
			}
			fillRow(st, row, d, value, measures)
			out.Rows = append(out.Rows, row)
			return true, nil
		})
	case creditsv1.StatDimension_STAT_DIMENSION_USE:
		if req.Use != 0 {
			return nil, module.ErrBadQuery.Wrapf("dimension use lists every use; for one use leave the dimension unset (the total) or use dimension fiscal_year")
		}
		if req.FiscalYear == 0 {
			out.Page, err = pg.Walk(st, types.StatPrefix(types.DimUse, creditsv1.StatMeasure_STAT_MEASURE_RETIRED), func(use, _ []byte) (bool, error) {
				row, err := statRow(dim, use)
				if err != nil {
					return false, err
				}
				fillRow(st, row, types.DimUse, use, useMeasures)
				out.Rows = append(out.Rows, row)
				return true, nil
			})
			break
		}
		// One year's uses: the use-in-year counters are ordered by use,
		// then year; the walk checks the year of each (a dozen uses times
		// the years retired for).
		out.Page, err = pg.Walk(st, types.StatPrefix(types.DimUseFiscalYear, creditsv1.StatMeasure_STAT_MEASURE_RETIRED), func(value, _ []byte) (bool, error) {
			if len(value) != 5 {
				return false, module.ErrInternal.Wrapf("malformed statistic of use in year %x", value)
			}
			if binary.BigEndian.Uint32(value[1:]) != req.FiscalYear {
				return false, nil
			}
			row, err := statRow(dim, value[:1])
			if err != nil {
				return false, err
			}
			row.FiscalYear = req.FiscalYear
			fillRow(st, row, types.DimUseFiscalYear, value, useMeasures)
			out.Rows = append(out.Rows, row)
			return true, nil
		})
	default:
		return nil, module.ErrBadQuery.Wrapf("unknown dimension %d (total, category, vintage_year, methodology, prefecture, fiscal_year, use)", dim)
	}
	if err != nil {
		return nil, err
	}
	return out, nil
}

// statRow starts the row of a dimension's value as stored in its key.
func statRow(dim creditsv1.StatDimension, value []byte) (*creditsv1.StatRow, error) {
	row := &creditsv1.StatRow{Dimension: dim}
	bad := func() error {
		return module.ErrInternal.Wrapf("malformed %s statistic %x", dimName(dim), value)
	}
	switch dim {
	case creditsv1.StatDimension_STAT_DIMENSION_CATEGORY:
		if len(value) != 1 {
			return nil, bad()
		}
		row.Category = creditsv1.Category(value[0])
		row.Value = types.CategoryCode(row.Category)
	case creditsv1.StatDimension_STAT_DIMENSION_VINTAGE_YEAR, creditsv1.StatDimension_STAT_DIMENSION_FISCAL_YEAR:
		if len(value) != 4 {
			return nil, bad()
		}
		y := binary.BigEndian.Uint32(value)
		row.Value = strconv.FormatUint(uint64(y), 10)
		if dim == creditsv1.StatDimension_STAT_DIMENSION_VINTAGE_YEAR {
			row.VintageYear = y
		} else {
			row.FiscalYear = y
		}
	case creditsv1.StatDimension_STAT_DIMENSION_METHODOLOGY:
		row.Methodology, row.Value = string(value), string(value)
	case creditsv1.StatDimension_STAT_DIMENSION_PREFECTURE:
		row.PrefectureCode, row.Value = string(value), string(value)
	case creditsv1.StatDimension_STAT_DIMENSION_USE:
		if len(value) != 1 {
			return nil, bad()
		}
		row.Use = creditsv1.Use(value[0])
		row.Value = types.UseCode(row.Use)
	}
	return row, nil
}

// fillRow reads the measures of one value of a dimension into row.
func fillRow(st module.KVStore, row *creditsv1.StatRow, dim byte, value []byte, measures []creditsv1.StatMeasure) {
	for _, m := range measures {
		v := readCounter(st, types.StatKey(dim, m, value))
		switch m {
		case creditsv1.StatMeasure_STAT_MEASURE_ISSUED:
			row.Issued = v
		case creditsv1.StatMeasure_STAT_MEASURE_LOCKED:
			row.Locked = v
		case creditsv1.StatMeasure_STAT_MEASURE_RETIRED:
			row.Retired = v
		case creditsv1.StatMeasure_STAT_MEASURE_CANCELLED:
			row.Cancelled = v
		case creditsv1.StatMeasure_STAT_MEASURE_RETIREMENTS:
			row.Retirements = v
		}
	}
	if row.Issued >= row.Locked+row.Retired+row.Cancelled {
		// Active is computed, not counted (stats.go).
		row.Active = row.Issued - row.Locked - row.Retired - row.Cancelled
	}
}

func dimName(d creditsv1.StatDimension) string {
	n, ok := creditsv1.StatDimension_name[int32(d)]
	if !ok {
		return strconv.Itoa(int(d))
	}
	return types.LowerEnum(n, "STAT_DIMENSION_")
}

func (k *Keeper) queryAccountTotals(q module.QueryContext, req *creditsv1.QueryAccountTotalsRequest) (*creditsv1.QueryAccountTotalsResponse, error) {
	pg, err := module.NewPage(q, req.Page)
	if err != nil {
		return nil, err
	}
	n, err := k.queryAccount(q.Store, "account", req.Account)
	if err != nil {
		return nil, err
	}
	if req.Use != 0 && types.UseCode(req.Use) == "" {
		return nil, module.ErrBadQuery.Wrapf("use %d is not a use", req.Use)
	}
	out := &creditsv1.QueryAccountTotalsResponse{AccountNumber: n}
	if n == 0 {
		out.Page = &queryv1.PageResponse{Height: q.Height}
		return out, nil
	}
	st := store(q.Store)
	prefix := types.AccountTotalsOf(n)
	out.Page, err = pg.Walk(st, prefix, func(rest, value []byte) (bool, error) {
		use, fy, ok := types.ParseAccountTotalKey(rest)
		if !ok {
			return false, module.ErrInternal.Wrapf("malformed account total %x", rest)
		}
		if (req.Use != 0 && use != req.Use) || (req.FiscalYear != 0 && fy != req.FiscalYear) {
			return false, nil
		}
		c := &creditsv1.Counter{}
		if err := proto.Unmarshal(value, c); err != nil {
			return false, module.ErrInternal.Wrapf("account total %x: %v", rest, err)
		}
		out.Totals = append(out.Totals, &creditsv1.AccountTotal{AccountNumber: n, Use: use, FiscalYear: fy, Retired: c.Value})
		return true, nil
	})
	if err != nil {
		return nil, err
	}
	if out.Accounts, err = k.refs(q, n); err != nil {
		return nil, err
	}
	return out, nil
}
