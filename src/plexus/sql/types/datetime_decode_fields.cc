// Interpretation of tokenized date/time input (PostgreSQL's DecodeDateTime and
// DecodeTimeOnly): each field fills some of year..second and zone, a field may
// not fill what another already has, and words (months, AM/PM, BC, zones,
// 'now', 't') steer the numbers around them.
#include <cctype>

#include "plexus/sql/types/datetime_decode.h"

namespace plexus::sql::internal {

namespace {

bool StartsWithDigit(std::string_view text) {
  return !text.empty() && std::isdigit(static_cast<unsigned char>(text[0]));
}

class Decoder {
 public:
  Decoder(std::vector<DateField> &fields, const DateTimeContext &context, DecodeState *state,
          bool time_only)
      : fields_(fields), context_(context), state_(state), time_only_(time_only) {}

  DecodeError Run() {
    for (index_ = 0; index_ < fields_.size(); ++index_) {
      int field_mask = 0;
      bool skip = false;
      DecodeError error = DecodeOne(fields_[index_], &field_mask, &skip);
      if (error != DecodeError::kNone) return error;
      if (skip) continue;
      if (field_mask & mask_) return DecodeError::kBadFormat;
      mask_ |= field_mask;
    }
    DecodeError error = ValidateDate(mask_, is_julian_, bc_, &fields_out_);
    if (error != DecodeError::kNone) return error;
    DateTimeFields &tm = fields_out_.tm;
    if (meridian_ != 0 && tm.hour > 12) return DecodeError::kFieldOverflow;
    if (meridian_ == kSpecialAm && tm.hour == 12) {
      tm.hour = 0;
    } else if (meridian_ == kSpecialPm && tm.hour != 12) {
      tm.hour += 12;
    }
    state_->fields = tm;
    return time_only_ ? FinishTime() : FinishDateTime();
  }

 private:
  DecodeError FinishTime() {
    if (TimeOverflows(fields_out_.tm)) return DecodeError::kFieldOverflow;
    if ((mask_ & kTimeMask) != kTimeMask) return DecodeError::kBadFormat;
    // A zone name needs a date to resolve its offset.
    if (named_zone_ != nullptr && !zone_from_abbreviation_ && (mask_ & kDateMask) != kDateMask) {
      return DecodeError::kBadFormat;
    }
    return DecodeError::kNone;
  }

  DecodeError FinishDateTime() {
    if (state_->kind != DecodedKind::kDateTime) return DecodeError::kNone;
    if ((mask_ & kDateMask) != kDateMask) return DecodeError::kBadFormat;
    const TimeZone *zone = nullptr;
    if (named_zone_ != nullptr) {
      if (mask_ & Mask(kTokenDstModifier)) return DecodeError::kBadFormat;
      zone = named_zone_.get();
    } else if (!(mask_ & Mask(kTokenZone))) {
      if (mask_ & Mask(kTokenDstModifier)) return DecodeError::kBadFormat;
      zone = context_.zone;
    }
    if (zone != nullptr) {
      state_->utc_offset_seconds = LocalOffsetOfFields(state_->fields, *zone);
    }
    return DecodeError::kNone;
  }

  DecodeError DecodeOne(DateField &field, int *field_mask, bool *skip) {
    switch (field.kind) {
      case FieldKind::kDate:
        return DecodeDate(field, field_mask);
      case FieldKind::kTime:
        return DecodeTime(field, field_mask);
      case FieldKind::kZone: {
        int32_t offset = 0;
        DecodeError error = DecodeNumericZone(field.text, &offset);
        if (error != DecodeError::kNone) return error;
        SetZone(offset);
        *field_mask = Mask(kTokenZone);
        return DecodeError::kNone;
      }
      case FieldKind::kNumber:
        if (pending_unit_ != 0) return DecodeLabeledNumber(field, field_mask);
        return time_only_ ? DecodeTimeNumber(field, field_mask)
                          : DecodeDateNumber(field, field_mask);
      case FieldKind::kString:
      case FieldKind::kSpecial:
        return DecodeWord(field, field_mask, skip);
    }
    return DecodeError::kBadFormat;
  }

  void SetZone(int32_t utc_offset_seconds) {
    state_->has_zone = true;
    state_->utc_offset_seconds = utc_offset_seconds;
  }

  DecodeError DecodeDate(DateField &field, int *field_mask) {
    bool is_zone;
    if (time_only_) {
      // A date is accepted only first, before a time or with a date last.
      is_zone = !(index_ == 0 && fields_.size() >= 2 &&
                  (fields_.back().kind == FieldKind::kDate || fields_[1].kind == FieldKind::kTime));
    } else {
      int month_day = Mask(kTokenMonth) | Mask(kTokenDay);
      is_zone = pending_unit_ != 0 || (mask_ & month_day) == month_day;
    }
    if (!is_zone) return DecodeDateField(field.text, mask_, field_mask, &fields_out_);
    if (StartsWithDigit(field.text) || pending_unit_ != 0) {
      // hhmmss-zz: a run-together time with a numeric zone.
      if ((mask_ & kTimeMask) == kTimeMask) return DecodeError::kBadFormat;
      size_t dash = field.text.find('-');
      if (dash == std::string::npos) return DecodeError::kBadFormat;
      int32_t offset = 0;
      DecodeError error = DecodeNumericZone(std::string_view(field.text).substr(dash), &offset);
      if (error != DecodeError::kNone) return error;
      SetZone(offset);
      error = DecodeNumberField(std::string_view(field.text).substr(0, dash), mask_, field_mask,
                                &fields_out_);
      if (error != DecodeError::kNone) return error;
      *field_mask |= Mask(kTokenZone);
      pending_unit_ = 0;
      return DecodeError::kNone;
    }
    Result<std::shared_ptr<const TimeZone>> zone = TimeZone::Find(field.text);
    if (!zone.ok()) {
      state_->bad_zone_name = field.text;
      return DecodeError::kUnknownZone;
    }
    named_zone_ = *zone;
    state_->has_zone = true;
    *field_mask = Mask(kTokenZone);
    return DecodeError::kNone;
  }

  DecodeError DecodeTime(DateField &field, int *field_mask) {
    if (pending_unit_ != 0) {
      if (pending_unit_ != kUnitTime) return DecodeError::kBadFormat;
      pending_unit_ = 0;
    }
    DecodeError error = DecodeTimeField(field.text, &fields_out_.tm, field_mask);
    if (error != DecodeError::kNone) return error;
    if (!time_only_ && TimeOverflows(fields_out_.tm)) return DecodeError::kFieldOverflow;
    return DecodeError::kNone;
  }

  DecodeError DecodeDateNumber(DateField &field, int *field_mask) {
    std::string_view text = field.text;
    size_t point = text.find('.');
    if (point != std::string_view::npos && !(mask_ & kDateMask)) {
      return DecodeDateField(text, mask_, field_mask, &fields_out_);  // 2024.001
    }
    if (point != std::string_view::npos && point > 2) {
      return DecodeNumberField(text, mask_, field_mask,
                               &fields_out_);  // 040506.789
    }
    // Six or more digits are a run-together date or time, unless both are
    // already known.
    if (text.size() >= 6 && (!(mask_ & kDateMask) || !(mask_ & kTimeMask))) {
      return DecodeNumberField(text, mask_, field_mask, &fields_out_);
    }
    return DecodeNumber(text, mask_, field_mask, &fields_out_);
  }

  DecodeError DecodeTimeNumber(DateField &field, int *field_mask) {
    std::string_view text = field.text;
    size_t point = text.find('.');
    if (point != std::string_view::npos) {
      if (index_ == 0 && fields_.size() >= 2 && fields_.back().kind == FieldKind::kDate) {
        return DecodeDateField(text, mask_, field_mask, &fields_out_);
      }
      if (point > 2) return DecodeNumberField(text, mask_ | kDateMask, field_mask, &fields_out_);
      return DecodeError::kBadFormat;
    }
    if (text.size() > 4) {
      return DecodeNumberField(text, mask_ | kDateMask, field_mask, &fields_out_);
    }
    return DecodeNumber(text, mask_ | kDateMask, field_mask, &fields_out_);
  }

  DecodeError DecodeLabeledNumber(DateField &field, int *field_mask);
  DecodeError DecodeWord(DateField &field, int *field_mask, bool *skip);
  DecodeError DecodeReserved(int value, int *field_mask);

  std::vector<DateField> &fields_;
  const DateTimeContext &context_;
  DecodeState *state_;
  bool time_only_;
  size_t index_ = 0;
  DecodingFields fields_out_;
  int mask_ = 0;
  int pending_unit_ = 0;  // a unit word ("j", "t", "y") labelling the next number
  bool is_julian_ = false;
  bool bc_ = false;
  int meridian_ = 0;  // kSpecialAm, kSpecialPm or 0 for a 24-hour clock
  std::shared_ptr<const TimeZone> named_zone_;
  bool zone_from_abbreviation_ = false;  // named_zone_ came from a dynamic abbreviation
};

DecodeError Decoder::DecodeLabeledNumber(DateField &field, int *field_mask) {
  int value = 0;
  std::string_view rest;
  bool overflow = false;
  if (!ParseInt(field.text, &value, &rest, &overflow)) return DecodeError::kBadFormat;
  if (overflow) return DecodeError::kFieldOverflow;
  int unit = pending_unit_;
  if (!rest.empty()) {
    bool fraction_allowed = unit == kUnitJulian || unit == kUnitTime || unit == kUnitSecond;
    if (rest[0] != '.' || !fraction_allowed) return DecodeError::kBadFormat;
  }
  DateTimeFields &tm = fields_out_.tm;
  switch (unit) {
    case kUnitYear:
      tm.year = value;
      *field_mask = Mask(kTokenYear);
      break;
    case kUnitMonth:
      // After a month and an hour, "m" means minutes.
      if ((mask_ & Mask(kTokenMonth)) && (mask_ & Mask(kTokenHour))) {
        tm.minute = value;
        *field_mask = Mask(kTokenMinute);
      } else {
        tm.month = value;
        *field_mask = Mask(kTokenMonth);
      }
      break;
    case kUnitDay:
      tm.day = value;
      *field_mask = Mask(kTokenDay);
      break;
    case kUnitHour:
      tm.hour = value;
      *field_mask = Mask(kTokenHour);
      break;
    case kUnitMinute:
      tm.minute = value;
      *field_mask = Mask(kTokenMinute);
      break;
    case kUnitSecond: {
      tm.second = value;
      *field_mask = Mask(kTokenSecond);
      if (!rest.empty()) {
        DecodeError error = ParseFractionalSecond(rest, &tm.micros);
        if (error != DecodeError::kNone) return error;
        *field_mask = kAllSecondsMask;
      }
      break;
    }
    case kUnitJulian: {
      if (value < 0) return DecodeError::kFieldOverflow;
      *field_mask = kDateMask;
      JulianToDate(value, &tm.year, &tm.month, &tm.day);
      is_julian_ = true;
      if (!rest.empty()) {
        double fraction = std::strtod(std::string(rest).c_str(), nullptr);
        int64_t micros = static_cast<int64_t>(fraction * kMicrosPerDay);
        TimeToFields(Time{micros}, &tm);
        *field_mask |= kTimeMask;
      }
      break;
    }
    case kUnitTime: {
      // After "t": hhmmss[.fff].
      DecodeError error =
          DecodeNumberField(field.text, mask_ | kDateMask, field_mask, &fields_out_);
      if (error != DecodeError::kNone) return error;
      if (*field_mask != kTimeMask) return DecodeError::kBadFormat;
      break;
    }
    default:
      return DecodeError::kBadFormat;
  }
  pending_unit_ = 0;
  return DecodeError::kNone;
}

DecodeError Decoder::DecodeReserved(int value, int *field_mask) {
  DateTimeFields &tm = fields_out_.tm;
  DateTimeFields now;
  TimestampTzToFields(context_.now, *context_.zone, &now);
  if (value == kSpecialNow) {
    *field_mask = time_only_ ? kTimeMask : kDateMask | kTimeMask | Mask(kTokenZone);
    tm.year = now.year;
    tm.month = now.month;
    tm.day = now.day;
    tm.hour = now.hour;
    tm.minute = now.minute;
    tm.second = now.second;
    tm.micros = now.micros;
    if (!time_only_) SetZone(now.utc_offset_seconds);
    return DecodeError::kNone;
  }
  if (value == kSpecialZulu) {
    *field_mask = kTimeMask | Mask(kTokenZone);
    tm.hour = tm.minute = tm.second = 0;
    tm.micros = 0;
    SetZone(0);
    return DecodeError::kNone;
  }
  if (time_only_) return DecodeError::kBadFormat;
  if (value == kSpecialToday || value == kSpecialTomorrow || value == kSpecialYesterday) {
    *field_mask = kDateMask;
    int shift = value == kSpecialTomorrow ? 1 : value == kSpecialYesterday ? -1 : 0;
    JulianToDate(DateToJulian(now.year, now.month, now.day) + shift, &tm.year, &tm.month, &tm.day);
    return DecodeError::kNone;
  }
  *field_mask = kDateMask | kTimeMask | Mask(kTokenZone);
  state_->kind = value == kSpecialEpoch      ? DecodedKind::kEpoch
                 : value == kSpecialInfinity ? DecodedKind::kInfinity
                                             : DecodedKind::kNegativeInfinity;
  return DecodeError::kNone;
}

DecodeError Decoder::DecodeWord(DateField &field, int *field_mask, bool *skip) {
  // Zone abbreviations take precedence over the keywords.
  ZoneAbbreviation abbreviation = LookupZoneAbbreviation(field.text);
  Keyword keyword{kTokenUnknown, 0};
  if (abbreviation.found) {
    keyword.type = !abbreviation.zone_name.empty() ? kTokenDynamicZone
                   : abbreviation.is_dst           ? kTokenDaylightZone
                                                   : kTokenZone;
    keyword.value = abbreviation.utc_offset_seconds;
  } else {
    keyword = LookupDateKeyword(field.text);
  }
  if (keyword.type == kTokenIgnore) {
    *skip = true;
    return DecodeError::kNone;
  }
  *field_mask = Mask(keyword.type);
  DateTimeFields &tm = fields_out_.tm;
  switch (keyword.type) {
    case kTokenReserved:
      return DecodeReserved(keyword.value, field_mask);
    case kTokenMonth:
      if (time_only_) return DecodeError::kBadFormat;
      // A numeric "month" already read, and no day yet: it was the day (DD MON).
      if ((mask_ & Mask(kTokenMonth)) && !fields_out_.text_month && !(mask_ & Mask(kTokenDay)) &&
          tm.month >= 1 && tm.month <= 31) {
        tm.day = tm.month;
        *field_mask = Mask(kTokenDay);
      }
      fields_out_.text_month = true;
      tm.month = keyword.value;
      return DecodeError::kNone;
    case kTokenDstModifier:
      *field_mask |= Mask(kTokenDaylightZone);
      state_->utc_offset_seconds += keyword.value;
      return DecodeError::kNone;
    case kTokenDaylightZone:
      *field_mask |= Mask(kTokenZone);
      SetZone(keyword.value);
      return DecodeError::kNone;
    case kTokenZone:
      SetZone(keyword.value);
      return DecodeError::kNone;
    case kTokenDynamicZone: {
      // Approximation: the abbreviation's zone decides the offset at the local
      // time.
      *field_mask |= Mask(kTokenZone);
      Result<std::shared_ptr<const TimeZone>> zone = TimeZone::Find(abbreviation.zone_name);
      if (!zone.ok()) return DecodeError::kBadFormat;
      named_zone_ = *zone;
      zone_from_abbreviation_ = true;
      state_->has_zone = true;
      return DecodeError::kNone;
    }
    case kTokenAmPm:
      meridian_ = keyword.value;
      return DecodeError::kNone;
    case kTokenAdBc:
      bc_ = keyword.value == kSpecialBc;
      return DecodeError::kNone;
    case kTokenDayOfWeek:
      if (time_only_) return DecodeError::kBadFormat;
      return DecodeError::kNone;  // checked by nothing, as in PostgreSQL
    case kTokenUnits:
      *field_mask = 0;
      pending_unit_ = keyword.value;
      return DecodeError::kNone;
    case kTokenIsoTime: {
      *field_mask = 0;
      if (!time_only_ && (mask_ & kDateMask) != kDateMask) return DecodeError::kBadFormat;
      if (index_ + 1 >= fields_.size()) return DecodeError::kBadFormat;
      FieldKind next = fields_[index_ + 1].kind;
      if (next != FieldKind::kNumber && next != FieldKind::kTime && next != FieldKind::kDate) {
        return DecodeError::kBadFormat;
      }
      pending_unit_ = keyword.value;
      return DecodeError::kNone;
    }
    case kTokenUnknown: {
      // Last resort: an all-letter zone name ("utc", "japan").
      Result<std::shared_ptr<const TimeZone>> zone = TimeZone::Find(field.text);
      if (!zone.ok()) return DecodeError::kBadFormat;
      named_zone_ = *zone;
      state_->has_zone = true;
      *field_mask = Mask(kTokenZone);
      return DecodeError::kNone;
    }
    default:
      return DecodeError::kBadFormat;
  }
}

}  // namespace

DecodeError DecodeDateTime(std::vector<DateField> &fields, const DateTimeContext &context,
                           DecodeState *state) {
  return Decoder(fields, context, state, /*time_only=*/false).Run();
}

DecodeError DecodeTimeOnly(std::vector<DateField> &fields, const DateTimeContext &context,
                           DecodeState *state) {
  return Decoder(fields, context, state, /*time_only=*/true).Run();
}

}  // namespace plexus::sql::internal
