/// Which function names the engine implements, which real KQL functions it does not, and how a call
/// to any other name is refused (with a "did you mean" for a near miss).

enum FunctionCatalog {
    /// The built-in scalar functions of `Functions.compile`'s families; a family serves only these.
    static let scalars: Set<String> = [
        "abs", "acos", "ago", "array_concat", "array_iff", "array_iif", "array_index_of", "array_length",
        "array_reverse", "array_rotate_left", "array_rotate_right", "array_shift_left", "array_shift_right",
        "array_slice", "array_sort_asc", "array_sort_desc", "array_split", "array_sum", "asin", "atan",
        "atan2", "bag_has_key", "bag_keys", "bag_merge", "bag_pack", "bag_set_key", "bag_zip",
        "base64_decode_toarray", "base64_decode_tostring", "base64_decodestring", "base64_encode_fromarray",
        "base64_encode_tostring", "base64_encodestring", "bin", "bin_at", "binary_and", "binary_not",
        "binary_or", "binary_shift_left", "binary_shift_right", "binary_xor", "bitset_count_ones", "case",
        "ceiling", "coalesce", "cos", "cot", "countof", "datetime_add", "datetime_diff", "datetime_part",
        "dayofmonth", "dayofweek", "dayofyear", "degrees", "dynamic_to_json", "endofday", "endofmonth",
        "endofweek", "endofyear", "exp", "exp10", "exp2", "extract", "extract_all", "extract_json",
        "extractjson", "floor", "format_datetime", "format_ipv4", "format_ipv4_mask", "format_timespan",
        "getmonth", "gettype", "getyear", "has_any_index", "has_any_ipv4", "has_any_ipv4_prefix", "has_ipv4",
        "has_ipv4_prefix", "hash_md5", "hash_sha1", "hash_sha256", "hourofday", "iff", "iif", "indexof",
        "ipv4_compare", "ipv4_is_in_any_range", "ipv4_is_in_range", "ipv4_is_match", "ipv4_is_private",
        "ipv4_netmask_suffix", "isascii", "isempty", "isfinite", "isinf", "isnan", "isnotempty", "isnotnull",
        "isnull", "jaccard_index", "log", "log10", "log2", "make_datetime", "make_string", "make_timespan",
        "max_of", "min_of", "monthofyear", "not", "now", "pack", "pack_array", "parse_command_line",
        "parse_ipv4", "parse_ipv4_mask", "parse_path", "parse_url", "pi", "pow", "radians", "range",
        "regex_quote", "replace", "replace_regex", "replace_string", "replace_strings", "reverse", "round",
        "set_difference", "set_has_element", "set_intersect", "set_union", "sign", "sin", "split", "sqrt",
        "startofday", "startofmonth", "startofweek", "startofyear", "strcat", "strcat_array", "strcat_delim",
        "strcmp", "string_size", "strlen", "strrep", "substring", "tan", "tolower", "toupper", "translate",
        "trim", "trim_end", "trim_start", "unicode_codepoints_from_string", "unicode_codepoints_to_string",
        "unixtime_microseconds_todatetime", "unixtime_milliseconds_todatetime",
        "unixtime_nanoseconds_todatetime", "unixtime_seconds_todatetime", "url_decode", "url_encode",
        "url_encode_component", "week_of_year", "weekofyear", "zip",
    ]

    /// Scalar functions `Functions.compile` resolves itself, before the families.
    static let specialForms: Set<String> = [
        "pack_all", "column_ifexists", "columnifexists", "toscalar", "column_names_of",
    ]

    /// The aggregates `Aggregates.compile` implements; the rest of ``Aggregates/names`` are real but refused.
    static let aggregates: Set<String> = [
        "count", "countif", "dcount", "dcountif", "count_distinct", "count_distinctif", "sum", "sumif", "avg",
        "avgif", "min", "max", "minif", "maxif", "make_list", "make_list_if", "makelist", "make_set",
        "make_set_if", "makeset", "make_list_with_nulls", "make_bag", "make_bag_if", "percentile", "percentiles",
        "stdev", "stdevp", "variance", "variancep", "stdevif", "varianceif", "arg_max", "arg_min", "take_any",
        "any",
    ]

    /// Scalar functions Kusto documents (its scalar function list) that the engine does not implement.
    static let unsupportedScalars: Set<String> = [
        "bag_pack_columns", "bag_remove_keys", "base64_decode_toguid", "base64_encode_fromguid", "beta_cdf",
        "beta_inv", "beta_pdf", "convert_angle", "convert_energy", "convert_force", "convert_length",
        "convert_mass", "convert_speed", "convert_temperature", "convert_volume", "current_cluster_endpoint",
        "current_database", "current_principal", "current_principal_details",
        "current_principal_is_member_of", "cursor_after", "datetime_list_timezones", "datetime_local_to_utc",
        "datetime_utc_to_local", "dcount_hll", "erf", "erfc", "estimate_data_size", "extent_id",
        "extent_tags", "gamma", "geo_distance_2points", "geo_distance_point_to_line",
        "geo_distance_point_to_polygon", "geo_geohash_neighbors", "geo_geohash_to_central_point",
        "geo_geohash_to_polygon", "geo_h3cell_children", "geo_h3cell_level", "geo_h3cell_neighbors",
        "geo_h3cell_parent", "geo_h3cell_rings", "geo_h3cell_to_central_point", "geo_h3cell_to_polygon",
        "geo_info_from_ip_address", "geo_intersection_2lines", "geo_intersection_2polygons",
        "geo_intersection_line_with_polygon", "geo_intersects_2lines", "geo_intersects_2polygons",
        "geo_intersects_line_with_polygon", "geo_line_buffer", "geo_line_centroid", "geo_line_densify",
        "geo_line_length", "geo_line_simplify", "geo_line_to_s2cells", "geo_point_buffer",
        "geo_point_in_circle", "geo_point_in_polygon", "geo_point_to_geohash", "geo_point_to_h3cell",
        "geo_point_to_s2cell", "geo_polygon_area", "geo_polygon_buffer", "geo_polygon_centroid",
        "geo_polygon_densify", "geo_polygon_perimeter", "geo_polygon_simplify", "geo_polygon_to_s2cells",
        "geo_s2cell_neighbors", "geo_s2cell_to_central_point", "geo_s2cell_to_polygon",
        "geo_simplify_polygons_array", "geo_union_lines_array", "geo_union_polygons_array", "hash",
        "hash_combine", "hash_many", "hash_xxhash64", "hll_merge", "indexof_regex", "ingestion_time",
        "ipv4_range_to_cidr_list", "ipv6_compare", "ipv6_is_in_any_range", "ipv6_is_in_range",
        "ipv6_is_match", "isutf8", "loggamma", "merge_tdigest", "new_guid", "parse_csv", "parse_ipv6",
        "parse_ipv6_mask", "parse_urlquery", "parse_user_agent", "parse_version", "parse_xml",
        "percentile_array_tdigest", "percentile_tdigest", "percentrank_tdigest", "punycode_from_string",
        "punycode_to_string", "rand", "rank_tdigest", "repeat", "series_abs", "series_acos", "series_add",
        "series_asin", "series_atan", "series_ceiling", "series_cos", "series_cosine_similarity",
        "series_decompose", "series_decompose_anomalies", "series_decompose_forecast", "series_divide",
        "series_dot_product", "series_equals", "series_exp", "series_fft", "series_fill_backward",
        "series_fill_const", "series_fill_forward", "series_fill_linear", "series_fir", "series_fit_2lines",
        "series_fit_2lines_dynamic", "series_fit_line", "series_fit_line_dynamic", "series_fit_poly",
        "series_floor", "series_greater", "series_greater_equals", "series_ifft", "series_iir", "series_less",
        "series_less_equals", "series_log", "series_magnitude", "series_multiply", "series_not_equals",
        "series_outliers", "series_pearson_correlation", "series_periods_detect", "series_periods_validate",
        "series_pow", "series_seasonal", "series_sign", "series_sin", "series_stats", "series_stats_dynamic",
        "series_subtract", "series_sum", "series_tan", "to_utf8", "tohex", "treepath", "welch_test",
    ]

    /// Further functions the official parser declares (Kusto.Language's Functions.cs: deprecated
    /// spellings, graph, cursor and cluster functions and others missing from the documented list),
    /// which the engine does not implement either: a call to one is not an unknown name.
    static let undocumentedUnsupportedScalars: Set<String> = [
        "all", "around", "array_strcat", "arraylength", "assert", "bin_auto", "cluster",
        "current_cursor", "current_node_id", "cursor_before_or_at", "cursor_current", "database",
        "datepart", "entity_group", "extentid", "external_table", "format_bytes", "geo_angle",
        "geo_azimuth", "geo_closest_point_on_line", "geo_closest_point_on_polygon", "geo_from_wkt",
        "geo_line_interpolate_point", "geo_line_locate_point", "geo_polygon_to_h3cells", "graph",
        "gzip_compress_to_base64_string", "gzip_decompress_from_base64_string", "hll_isvalid",
        "inner_nodes", "iscolumnexists", "labels", "map", "materialized_view", "node_degree_in",
        "node_degree_out", "node_id", "parseurl", "parseurlquery", "percentiles_array_tdigest",
        "punycode_domain_from_string", "punycode_domain_to_string", "row_id", "row_rank",
        "row_window_session", "rowstore_ordinal_range", "series_product", "set_equals",
        "stored_query_result", "table", "tdigest_isvalid", "zlib_compress_to_base64_string",
        "zlib_decompress_from_base64_string",
    ]

    /// Whether the engine can run a call to `name` (a scalar function, aggregate or window function).
    static func isImplemented(_ name: String) -> Bool {
        scalars.contains(name) || specialForms.contains(name) || aggregates.contains(name)
            || ConversionFunctions.targets[name] != nil || Functions.aliases[name] != nil
            || WindowFunctions.names.contains(name)
    }

    /// Deprecated aggregates Kusto still runs that neither the engine nor ``Aggregates/names`` has.
    static let unsupportedAggregates: Set<String> = ["argmax", "argmin"]

    /// Whether `name` is a real KQL function or aggregate the engine does not implement.
    static func isKnownUnsupported(_ name: String) -> Bool {
        unsupportedScalars.contains(name) || undocumentedUnsupportedScalars.contains(name)
            || unsupportedAggregates.contains(name)
            || (Aggregates.isAggregate(name) && !aggregates.contains(name))
    }

    /// The refusal of a call to `name`, which the engine does not implement: a real function is named
    /// as unsupported; any other name is called unknown, with the nearest implemented name if one is
    /// close.
    static func refusal(_ name: String, _ kind: String = "function") -> KQLError {
        if isKnownUnsupported(name) {
            let aggregate = Aggregates.isAggregate(name) || unsupportedAggregates.contains(name)
            return .unsupported(aggregate ? "the aggregate \(name)()" : "the function \(name)()")
        }
        let names = scalars.union(specialForms).union(aggregates).union(ConversionFunctions.targets.keys)
            .union(WindowFunctions.names)
        if let near = nearest(name, among: names) {
            return .unsupported("unknown \(kind) \(name)() (did you mean \(near)()?)")
        }
        return .unsupported("unknown or unsupported \(kind) \(name)()")
    }

    /// The candidate closest to `name` (ignoring case) within a small edit distance: one edit for
    /// names of up to four characters, two for longer ones; ties go to the alphabetically first.
    static func nearest(_ name: String, among candidates: some Sequence<String>) -> String? {
        let word = Array(name.lowercased().unicodeScalars)
        let limit = word.count <= 4 ? 1 : 2
        var best: (distance: Int, name: String)?
        for candidate in candidates where candidate != name {
            let other = Array(candidate.lowercased().unicodeScalars)
            guard abs(other.count - word.count) <= limit else { continue }
            let distance = editDistance(word, other)
            guard distance <= limit else { continue }
            if best == nil || distance < best!.distance || (distance == best!.distance && candidate < best!.name) {
                best = (distance, candidate)
            }
        }
        return best?.name
    }

    /// The fewest insertions, deletions, substitutions and swaps of neighbours from `a` to `b` (optimal
    /// string alignment), so that `cuont` is one edit from `count`.
    static func editDistance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
        guard !a.isEmpty else { return b.count }
        var rows = [Array(0...b.count)]
        for i in 1...a.count {
            var row = [i] + Array(repeating: 0, count: b.count)
            for j in stride(from: 1, through: b.count, by: 1) {
                let substitution = rows[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
                row[j] = min(rows[i - 1][j] + 1, row[j - 1] + 1, substitution)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    row[j] = min(row[j], rows[i - 2][j - 2] + 1)
                }
            }
            rows.append(row)
        }
        return rows[a.count][b.count]
    }
}
