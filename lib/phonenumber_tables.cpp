// SPDX-License-Identifier: GPL-2.0-or-later
// The country and type of a number without libphonenumber at decision time
// (docs/hacking.md, "Numbers and the packet thread").
//
// libphonenumber tells a number's type by matching its national number
// against each type's regular expression in the country's metadata, and
// tells which country of a shared calling code (+1, +44, +7...) by those and
// a "leading digits" expression. Those expressions use a small regular
// language: digits, \d, [classes], (?:groups), |, ? and {n,m}. At load time
// each country's expressions are compiled into one deterministic automaton
// over the ten digits whose states carry a bit per expression that accepts
// there; deciding walks the digits once through arrays. GetNumberType's
// order of checks is then applied to the bits, with the possible lengths of
// each type, as libphonenumber does. tests/unit/test_phonenumber.c holds the
// result against libphonenumber for every region's example numbers and for
// random numbers.
#include "phonenumber.h"
#include "phonenumber_private.h"

#include <phonenumbers/phonemetadata.pb.h>
#include <phonenumbers/phonenumberutil.h>

#include <algorithm>
#include <cstring>
#include <malloc.h>
#include <list>
#include <map>
#include <string>
#include <vector>

namespace i18n {
namespace phonenumbers {
// libphonenumber's compiled-in metadata (metadata.h, which Debian does not
// install): a serialised PhoneMetadataCollection.
int metadata_size();
const void *metadata_get();
} // namespace phonenumbers
} // namespace i18n

using i18n::phonenumbers::PhoneMetadata;
using i18n::phonenumbers::PhoneMetadataCollection;
using i18n::phonenumbers::PhoneNumberDesc;
using i18n::phonenumbers::PhoneNumberUtil;

namespace {

// The expressions of a country, in the order GetNumberTypeHelper tries them
// after the general one; LEAD is the leading-digits expression (a prefix
// match, where the others must match the whole national number).
enum desc {
	GENERAL, PREMIUM, TOLL_FREE, SHARED_COST, VOIP, PERSONAL, PAGER, UAN, VOICEMAIL,
	FIXED, MOBILE, LEAD, N_DESC
};

const PhoneNumberUtil::PhoneNumberType desc_type[] = {
	PhoneNumberUtil::UNKNOWN, PhoneNumberUtil::PREMIUM_RATE, PhoneNumberUtil::TOLL_FREE,
	PhoneNumberUtil::SHARED_COST, PhoneNumberUtil::VOIP, PhoneNumberUtil::PERSONAL_NUMBER,
	PhoneNumberUtil::PAGER, PhoneNumberUtil::UAN, PhoneNumberUtil::VOICEMAIL,
};

const PhoneNumberDesc &desc_of(const PhoneMetadata &m, int d)
{
	switch (d) {
	case PREMIUM: return m.premium_rate();
	case TOLL_FREE: return m.toll_free();
	case SHARED_COST: return m.shared_cost();
	case VOIP: return m.voip();
	case PERSONAL: return m.personal_number();
	case PAGER: return m.pager();
	case UAN: return m.uan();
	case VOICEMAIL: return m.voicemail();
	case FIXED: return m.fixed_line();
	case MOBILE: return m.mobile();
	default: return m.general_desc();
	}
}

const struct {
	PhoneNumberUtil::PhoneNumberType type;
	const char *name;
} type_names[] = {
	{ PhoneNumberUtil::FIXED_LINE, "fixed-line" },
	{ PhoneNumberUtil::MOBILE, "mobile" },
	{ PhoneNumberUtil::FIXED_LINE_OR_MOBILE, "fixed-line-or-mobile" },
	{ PhoneNumberUtil::TOLL_FREE, "toll-free" },
	{ PhoneNumberUtil::PREMIUM_RATE, "premium-rate" },
	{ PhoneNumberUtil::SHARED_COST, "shared-cost" },
	{ PhoneNumberUtil::VOIP, "voip" },
	{ PhoneNumberUtil::PERSONAL_NUMBER, "personal-number" },
	{ PhoneNumberUtil::PAGER, "pager" },
	{ PhoneNumberUtil::UAN, "uan" },
	{ PhoneNumberUtil::VOICEMAIL, "voicemail" },
	{ PhoneNumberUtil::UNKNOWN, "unknown" },
};

const char *type_name(PhoneNumberUtil::PhoneNumberType t)
{
	for (const auto &n : type_names)
		if (n.type == t)
			return n.name;
	return "unknown";
}

// ---- the expression, parsed -------------------------------------------

struct node {
	enum kind { SET, CAT, ALT, REP } kind;
	uint16_t set = 0;        // SET: bit d for digit d
	int min = 1, max = 1;    // REP
	std::vector<node> kids;
};

enum { REPEAT_MAX = 20, STATES_MAX = 1 << 20 };

struct parser {
	const char *p;
	bool ok = true;

	bool fail() { ok = false; return false; }

	bool atom(node *n)
	{
		n->kind = node::SET;
		if (*p >= '0' && *p <= '9') {
			n->set = (uint16_t)(1u << (*p++ - '0'));
		} else if (p[0] == '\\' && p[1] == 'd') {
			n->set = 0x3ff;
			p += 2;
		} else if (*p == '[') {
			for (p++; *p && *p != ']'; p++) {
				if (*p < '0' || *p > '9')
					return fail();
				int lo = *p - '0', hi = lo;
				if (p[1] == '-' && p[2] >= '0' && p[2] <= '9') {
					hi = p[2] - '0';
					p += 2;
				}
				for (int d = lo; d <= hi; d++)
					n->set = (uint16_t)(n->set | 1u << d);
			}
			if (*p++ != ']' || !n->set)
				return fail();
		} else if (*p == '(') {
			p += strncmp(p, "(?:", 3) ? 1 : 3;
			if (!alt(n) || *p++ != ')')
				return fail();
		} else {
			return fail();
		}
		return true;
	}

	int number()
	{
		int v = 0, digits = 0;
		while (*p >= '0' && *p <= '9' && digits++ < 3)
			v = v * 10 + (*p++ - '0');
		return digits ? v : -1;
	}

	bool repeat(node *n)
	{
		node a;
		if (!atom(&a))
			return false;
		int min = 1, max = 1;
		if (*p == '?') {
			min = 0;
			p++;
		} else if (*p == '{') {
			p++;
			min = max = number();
			if (*p == ',') {
				p++;
				max = number();
			}
			if (*p++ != '}' || min < 0 || max < min || max > REPEAT_MAX)
				return fail();
		}
		if (min == 1 && max == 1) {
			*n = std::move(a);
			return true;
		}
		n->kind = node::REP;
		n->min = min;
		n->max = max;
		n->kids.push_back(std::move(a));
		return true;
	}

	bool cat(node *n)
	{
		n->kind = node::CAT;
		while (*p && *p != '|' && *p != ')') {
			n->kids.emplace_back();
			if (!repeat(&n->kids.back()))
				return false;
		}
		return true;
	}

	bool alt(node *n)
	{
		n->kind = node::ALT;
		for (;;) {
			n->kids.emplace_back();
			if (!cat(&n->kids.back()))
				return false;
			if (*p != '|')
				return ok;
			p++;
		}
	}
};

bool parse(const std::string &pattern, node *n)
{
	parser ps{ pattern.c_str() };
	return ps.alt(n) && *ps.p == '\0' && ps.ok;
}

// ---- an NFA of several expressions, then its DFA ------------------------

struct nfa {
	struct state {
		uint16_t set = 0;   // on these digits, go to `to`
		int to = -1;
		uint16_t accepts = 0;  // bit per expression ending here
		std::vector<int> eps;
	};
	std::vector<state> s;

	int add() { s.emplace_back(); return (int)s.size() - 1; }

	// Returns the fragment's end; starts at `from`.
	int emit(const node &n, int from)
	{
		switch (n.kind) {
		case node::SET: {
			// from is always a fresh state: one digit edge out of it
			int e = add();
			s[from].set = n.set;
			s[from].to = e;
			return e;
		}
		case node::CAT: {
			int cur = from;
			for (const node &k : n.kids) {
				int start = add();
				s[cur].eps.push_back(start);
				cur = emit(k, start);
			}
			return cur;
		}
		case node::ALT: {
			int e = add();
			for (const node &k : n.kids) {
				int start = add();
				s[from].eps.push_back(start);
				int end = emit(k, start);
				s[end].eps.push_back(e);
			}
			return e;
		}
		case node::REP: {
			int cur = from, e = add();
			for (int i = 0; i < n.max; i++) {
				if (i >= n.min)
					s[cur].eps.push_back(e);
				int start = add();
				s[cur].eps.push_back(start);
				cur = emit(n.kids[0], start);
			}
			s[cur].eps.push_back(e);
			return e;
		}
		}
		return from;
	}

	void closure(std::vector<int> *set) const
	{
		std::vector<char> in(s.size(), 0);
		for (int x : *set)
			in[x] = 1;
		for (size_t i = 0; i < set->size(); i++)
			for (int y : s[(*set)[i]].eps)
				if (!in[y]) {
					in[y] = 1;
					set->push_back(y);
				}
		std::sort(set->begin(), set->end());
	}
};

// Every country's automaton in one pair of arrays; state 0 is the dead one.
struct tables {
	std::vector<uint32_t> next;  // 10 per state
	std::vector<uint16_t> accepts;

	struct region {
		char id[4];
		uint32_t start;
		uint16_t present;               // a desc with a pattern
		uint32_t lengths[N_DESC];       // bit n: n digits possible; 0: any
		bool same_mobile_and_fixed;
	};
	std::vector<region> regions;
	// per calling code: indexes in regions, in libphonenumber's order
	std::vector<int> by_code[1000];
	char nanp[1000][SIPCID_COUNTRY_MAX];  // +1's country by area code, "*": the main one
	bool ok = false;
};

uint32_t dfa_of(const nfa &a, int start, tables *t)
{
	std::map<std::vector<int>, uint32_t> ids;
	std::vector<std::vector<int>> todo;
	std::vector<int> first{ start };
	a.closure(&first);
	auto id_of = [&](std::vector<int> &&set) -> uint32_t {
		if (set.empty())
			return 0;
		auto it = ids.find(set);
		if (it != ids.end())
			return it->second;
		uint32_t id = (uint32_t)t->accepts.size();
		uint16_t acc = 0;
		for (int x : set)
			acc = (uint16_t)(acc | a.s[x].accepts);
		t->accepts.push_back(acc);
		t->next.resize(t->next.size() + 10, 0);
		ids.emplace(set, id);
		todo.push_back(std::move(set));
		return id;
	};
	uint32_t first_id = id_of(std::move(first));
	while (!todo.empty() && t->accepts.size() < STATES_MAX) {
		std::vector<int> set = std::move(todo.back());
		todo.pop_back();
		uint32_t id = ids[set];
		for (int d = 0; d < 10; d++) {
			std::vector<int> to;
			for (int x : set)
				if (a.s[x].set >> d & 1)
					to.push_back(a.s[x].to);
			std::sort(to.begin(), to.end());
			to.erase(std::unique(to.begin(), to.end()), to.end());
			a.closure(&to);
			t->next[id * 10 + d] = id_of(std::move(to));
		}
	}
	return todo.empty() ? first_id : UINT32_MAX;
}

bool add_region(const PhoneMetadata &m, tables *t)
{
	tables::region r{};
	snprintf(r.id, sizeof r.id, "%s", m.id().c_str());
	r.same_mobile_and_fixed = m.same_mobile_and_fixed_line_pattern();
	nfa a;
	int start = a.add();
	for (int d = 0; d < N_DESC; d++) {
		const std::string *pattern;
		if (d == LEAD) {
			if (!m.has_leading_digits())
				continue;
			pattern = &m.leading_digits();
		} else {
			const PhoneNumberDesc &desc = desc_of(m, d);
			// IsNumberMatchingDesc: lengths first, when the metadata gives them
			for (int len : desc.possible_length())
				if (len > 0 && len < 32)
					r.lengths[d] |= 1u << len;
			if (desc.possible_length_size() && !r.lengths[d])
				continue;  // [-1]: no number of this type
			pattern = &desc.national_number_pattern();
			if (pattern->empty())  // an empty pattern matches nothing
				continue;
		}
		node n;
		if (!parse(*pattern, &n))
			return false;
		int begin = a.add();
		a.s[start].eps.push_back(begin);
		int end = a.emit(n, begin);
		a.s[end].accepts = (uint16_t)(a.s[end].accepts | 1u << d);
		r.present = (uint16_t)(r.present | 1u << d);
	}
	r.start = dfa_of(a, start, t);
	if (r.start == UINT32_MAX)
		return false;
	t->regions.push_back(r);
	return true;
}

// Walks the national number: the expressions that match all of it, and
// whether the leading-digits one matched a beginning of it.
uint16_t walk(const tables &t, const tables::region &r, const char *nsn, size_t len, bool *lead)
{
	uint32_t s = r.start;
	uint16_t seen = t.accepts[s];
	for (size_t i = 0; i < len && s; i++) {
		s = t.next[s * 10 + (uint32_t)(nsn[i] - '0')];
		seen = (uint16_t)(seen | t.accepts[s]);
	}
	*lead = seen >> LEAD & 1;
	return t.accepts[s];
}

// PhoneNumberUtil::GetNumberTypeHelper on the bits of walk().
PhoneNumberUtil::PhoneNumberType type_of(const tables::region &r, uint16_t match, size_t len)
{
	auto is = [&](int d) {
		return (match >> d & 1) && (!r.lengths[d] || (len < 32 && (r.lengths[d] >> len & 1)));
	};
	if (!is(GENERAL))
		return PhoneNumberUtil::UNKNOWN;
	for (int d = PREMIUM; d <= VOICEMAIL; d++)
		if (is(d))
			return desc_type[d];
	if (is(FIXED))
		return r.same_mobile_and_fixed || is(MOBILE) ? PhoneNumberUtil::FIXED_LINE_OR_MOBILE
		                                             : PhoneNumberUtil::FIXED_LINE;
	if (!r.same_mobile_and_fixed && is(MOBILE))
		return PhoneNumberUtil::MOBILE;
	return PhoneNumberUtil::UNKNOWN;
}

// GetRegionCodeForNumber: the one region of the code, or the first whose
// leading digits (or, without them, any type) fit. -1 for none ("ZZ").
int region_of(const tables &t, int cc, const char *nsn, size_t len,
              PhoneNumberUtil::PhoneNumberType *type)
{
	const std::vector<int> &list = t.by_code[cc];
	for (int i : list) {
		const tables::region &r = t.regions[(size_t)i];
		bool lead;
		uint16_t match = walk(t, r, nsn, len, &lead);
		*type = type_of(r, match, len);
		if (list.size() == 1 || ((r.present >> LEAD & 1) ? lead : *type != PhoneNumberUtil::UNKNOWN))
			return i;
	}
	*type = PhoneNumberUtil::UNKNOWN;
	return -1;
}

// The region's country code as describe() reports it: "" for "001", "ZZ".
void country_of(const char *id, char *out)
{
	if (strlen(id) == 2 && strcmp(id, "ZZ"))
		memcpy(out, id, 3);
	else
		out[0] = '\0';
}

// A number in E.164 form split into its calling code, one somebody has
// (the first 1 to 3 digits that name one: codes are prefix-free), and its
// national number.
bool locate(const tables &t, const char *number, int *cc, const char **nsn, size_t *len)
{
	size_t n;
	const char *d = sipcid_phonenumber_e164_digits(number, &n);
	if (!d)
		return false;
	for (size_t k = 1; k <= 3 && k < n; k++) {
		*cc = 0;
		for (size_t i = 0; i < k; i++)
			*cc = *cc * 10 + (d[i] - '0');
		if (!t.by_code[*cc].empty()) {
			*nsn = d + k;
			*len = n - k;
			return true;
		}
	}
	return false;
}

tables *build()
{
	auto *t = new tables;
	t->next.assign(10, 0);
	t->accepts.assign(1, 0);
	// A second copy of the metadata, for the time of the build: in an arena
	// of large blocks, which go back to the system in one piece after.
	google::protobuf::ArenaOptions blocks;
	blocks.start_block_size = 256 << 10;
	blocks.max_block_size = 1 << 20;
	google::protobuf::Arena arena(blocks);
	auto &all = *google::protobuf::Arena::CreateMessage<PhoneMetadataCollection>(&arena);
	if (!all.ParseFromArray(i18n::phonenumbers::metadata_get(),
	                        i18n::phonenumbers::metadata_size()))
		return t;
	std::map<std::string, int> index;  // "GB", or "001+800"
	for (const PhoneMetadata &m : all.metadata()) {
		std::string key = m.id() == "001" ? "001+" + std::to_string(m.country_code()) : m.id();
		index[key] = (int)t->regions.size();
		if (!add_region(m, t))
			return t;
	}
	const PhoneNumberUtil &util = *PhoneNumberUtil::GetInstance();
	for (int cc = 1; cc < 1000; cc++) {
		std::list<std::string> regions;
		util.GetRegionCodesForCountryCallingCode(cc, &regions);
		for (const std::string &id : regions) {
			auto it = index.find(id == "001" ? "001+" + std::to_string(cc) : id);
			if (it == index.end())
				return t;
			t->by_code[cc].push_back(it->second);
		}
	}
	// An invalid +1 number still has an area code: its country, if two
	// numbers of it say the same one (as sipcid_phonenumber_describe()).
	for (int npa = 0; npa < 1000; npa++) {
		std::string first;
		bool same = true;
		for (int rest : { 2345678, 8765432 }) {
			char nsn[16];
			snprintf(nsn, sizeof nsn, "%03d%07d", npa, rest);
			PhoneNumberUtil::PhoneNumberType type;
			int r = region_of(*t, 1, nsn, 10, &type);
			std::string region = r < 0 ? "US" : t->regions[(size_t)r].id;
			if (first.empty())
				first = region;
			same = same && region == first;
		}
		snprintf(t->nanp[npa], SIPCID_COUNTRY_MAX, "%s", npa < 200 || !same ? "*" : first.c_str());
	}
	t->next.shrink_to_fit();
	t->accepts.shrink_to_fit();
	t->ok = true;
	return t;
}

tables *build_and_trim()
{
	tables *t = build();
#ifdef __GLIBC__
	// The build's small temporary allocations leave free pages among the
	// heap's: give them back (about 1 MiB of resident memory).
	malloc_trim(0);
#endif
	return t;
}

const tables &the_tables()
{
	static const tables *t = build_and_trim();
	return *t;
}

} // namespace

extern "C" {

bool sipcid_phonenumber_tables_ready(void)
{
	try {
		return the_tables().ok;
	} catch (...) {
		return false;
	}
}

// Should the tables not build (a pattern the compiler does not know, in a
// libphonenumber to come): libphonenumber's own answer, which allocates.
static bool classify_slow(const char *number, char *country, char *type)
{
	try {
		i18n::phonenumbers::PhoneNumber n;
		if (!sipcid_phonenumber_from_e164(number, &n))
			return false;
		const PhoneNumberUtil &util = *PhoneNumberUtil::GetInstance();
		std::string region;
		util.GetRegionCodeForNumber(n, &region);
		if (region.empty() || region == "ZZ")
			util.GetRegionCodeForCountryCode(n.country_code(), &region);
		country_of(region.c_str(), country);
		sipcid_call_strlcpy_utf8(type, type_name(util.GetNumberType(n)), SIPCID_NUMBER_TYPE_MAX);
		return true;
	} catch (...) {
		return false;
	}
}

bool sipcid_phonenumber_classify(const char *number, char *country, char *type)
{
	country[0] = type[0] = '\0';
	int t;
	if (!sipcid_phonenumber_tables_ready())
		return classify_slow(number, country, type);
	if (!sipcid_phonenumber_tables_facts(number, country, &t))
		return false;
	sipcid_call_strlcpy_utf8(type, type_name((PhoneNumberUtil::PhoneNumberType)t),
	                         SIPCID_NUMBER_TYPE_MAX);
	return true;
}

bool sipcid_phonenumber_type_known(const char *name)
{
	for (const auto &n : type_names)
		if (!strcmp(name, n.name))
			return true;
	return false;
}

const char *sipcid_phonenumber_type_words(void)
{
	return "fixed-line, mobile, fixed-line-or-mobile, toll-free, premium-rate, shared-cost, "
	       "voip, personal-number, pager, uan, voicemail or unknown";
}

void sipcid_phonenumber_tables_named_region(const char *number, char *out)
{
	out[0] = '\0';
	const tables &t = the_tables();
	int cc;
	const char *nsn;
	size_t len;
	if (!locate(t, number, &cc, &nsn, &len))
		return;
	PhoneNumberUtil::PhoneNumberType type;
	int r = region_of(t, cc, nsn, len, &type);
	if (r >= 0)
		country_of(t.regions[(size_t)r].id, out);
}

bool sipcid_phonenumber_tables_facts(const char *number, char *country, int *type)
{
	const tables &t = the_tables();
	int cc;
	const char *nsn;
	size_t len;
	if (!locate(t, number, &cc, &nsn, &len))
		return false;
	PhoneNumberUtil::PhoneNumberType found;
	int r = region_of(t, cc, nsn, len, &found);
	*type = (int)found;
	const char *npa = nsn;  // for +1
	if (r >= 0) {
		country_of(t.regions[(size_t)r].id, country);
	} else if (cc == 1 && len == 10 &&
	           t.nanp[(npa[0] - '0') * 100 + (npa[1] - '0') * 10 + (npa[2] - '0')][0] != '*') {
		memcpy(country, t.nanp[(npa[0] - '0') * 100 + (npa[1] - '0') * 10 + (npa[2] - '0')],
		       SIPCID_COUNTRY_MAX);
	} else {
		// GetRegionCodeForCountryCode: the code's main country
		country_of(t.regions[(size_t)t.by_code[cc].front()].id, country);
	}
	return true;
}

} // extern "C"
