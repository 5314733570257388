/* inas serial protocol, firmware side: checksums, line writer and reader, model loader, run queue. See inas_proto.h. */
#include "inas_proto.h"

/* No <string.h>: the protocol also builds freestanding (clang --target=msp430 without a libc). */
static void zero_bytes(void *p, size_t n)
{
  uint8_t *b = (uint8_t *)p;
  while (n-- > 0u) *b++ = 0;
}

/* ------------------------------------------------------------------------------------------------ checksums */

/* Byte table (512 bytes): every line sent and received is checked, the BOOT line on every power cycle. */
static const uint16_t crc16_table[256] = {
  0x0000u, 0x1021u, 0x2042u, 0x3063u, 0x4084u, 0x50A5u, 0x60C6u, 0x70E7u, 0x8108u, 0x9129u,
  0xA14Au, 0xB16Bu, 0xC18Cu, 0xD1ADu, 0xE1CEu, 0xF1EFu, 0x1231u, 0x0210u, 0x3273u, 0x2252u,
  0x52B5u, 0x4294u, 0x72F7u, 0x62D6u, 0x9339u, 0x8318u, 0xB37Bu, 0xA35Au, 0xD3BDu, 0xC39Cu,
  0xF3FFu, 0xE3DEu, 0x2462u, 0x3443u, 0x0420u, 0x1401u, 0x64E6u, 0x74C7u, 0x44A4u, 0x5485u,
  0xA56Au, 0xB54Bu, 0x8528u, 0x9509u, 0xE5EEu, 0xF5CFu, 0xC5ACu, 0xD58Du, 0x3653u, 0x2672u,
  0x1611u, 0x0630u, 0x76D7u, 0x66F6u, 0x5695u, 0x46B4u, 0xB75Bu, 0xA77Au, 0x9719u, 0x8738u,
  0xF7DFu, 0xE7FEu, 0xD79Du, 0xC7BCu, 0x48C4u, 0x58E5u, 0x6886u, 0x78A7u, 0x0840u, 0x1861u,
  0x2802u, 0x3823u, 0xC9CCu, 0xD9EDu, 0xE98Eu, 0xF9AFu, 0x8948u, 0x9969u, 0xA90Au, 0xB92Bu,
  0x5AF5u, 0x4AD4u, 0x7AB7u, 0x6A96u, 0x1A71u, 0x0A50u, 0x3A33u, 0x2A12u, 0xDBFDu, 0xCBDCu,
  0xFBBFu, 0xEB9Eu, 0x9B79u, 0x8B58u, 0xBB3Bu, 0xAB1Au, 0x6CA6u, 0x7C87u, 0x4CE4u, 0x5CC5u,
  0x2C22u, 0x3C03u, 0x0C60u, 0x1C41u, 0xEDAEu, 0xFD8Fu, 0xCDECu, 0xDDCDu, 0xAD2Au, 0xBD0Bu,
  0x8D68u, 0x9D49u, 0x7E97u, 0x6EB6u, 0x5ED5u, 0x4EF4u, 0x3E13u, 0x2E32u, 0x1E51u, 0x0E70u,
  0xFF9Fu, 0xEFBEu, 0xDFDDu, 0xCFFCu, 0xBF1Bu, 0xAF3Au, 0x9F59u, 0x8F78u, 0x9188u, 0x81A9u,
  0xB1CAu, 0xA1EBu, 0xD10Cu, 0xC12Du, 0xF14Eu, 0xE16Fu, 0x1080u, 0x00A1u, 0x30C2u, 0x20E3u,
  0x5004u, 0x4025u, 0x7046u, 0x6067u, 0x83B9u, 0x9398u, 0xA3FBu, 0xB3DAu, 0xC33Du, 0xD31Cu,
  0xE37Fu, 0xF35Eu, 0x02B1u, 0x1290u, 0x22F3u, 0x32D2u, 0x4235u, 0x5214u, 0x6277u, 0x7256u,
  0xB5EAu, 0xA5CBu, 0x95A8u, 0x8589u, 0xF56Eu, 0xE54Fu, 0xD52Cu, 0xC50Du, 0x34E2u, 0x24C3u,
  0x14A0u, 0x0481u, 0x7466u, 0x6447u, 0x5424u, 0x4405u, 0xA7DBu, 0xB7FAu, 0x8799u, 0x97B8u,
  0xE75Fu, 0xF77Eu, 0xC71Du, 0xD73Cu, 0x26D3u, 0x36F2u, 0x0691u, 0x16B0u, 0x6657u, 0x7676u,
  0x4615u, 0x5634u, 0xD94Cu, 0xC96Du, 0xF90Eu, 0xE92Fu, 0x99C8u, 0x89E9u, 0xB98Au, 0xA9ABu,
  0x5844u, 0x4865u, 0x7806u, 0x6827u, 0x18C0u, 0x08E1u, 0x3882u, 0x28A3u, 0xCB7Du, 0xDB5Cu,
  0xEB3Fu, 0xFB1Eu, 0x8BF9u, 0x9BD8u, 0xABBBu, 0xBB9Au, 0x4A75u, 0x5A54u, 0x6A37u, 0x7A16u,
  0x0AF1u, 0x1AD0u, 0x2AB3u, 0x3A92u, 0xFD2Eu, 0xED0Fu, 0xDD6Cu, 0xCD4Du, 0xBDAAu, 0xAD8Bu,
  0x9DE8u, 0x8DC9u, 0x7C26u, 0x6C07u, 0x5C64u, 0x4C45u, 0x3CA2u, 0x2C83u, 0x1CE0u, 0x0CC1u,
  0xEF1Fu, 0xFF3Eu, 0xCF5Du, 0xDF7Cu, 0xAF9Bu, 0xBFBAu, 0x8FD9u, 0x9FF8u, 0x6E17u, 0x7E36u,
  0x4E55u, 0x5E74u, 0x2E93u, 0x3EB2u, 0x0ED1u, 0x1EF0u,
};

uint16_t inas_crc16(uint16_t crc, const uint8_t *data, uint16_t len)
{
  uint16_t i;
  for (i = 0; i < len; i++) {
    crc = (uint16_t)((uint16_t)(crc << 8) ^ crc16_table[(uint8_t)((crc >> 8) ^ data[i])]);
  }
  return crc;
}

/*
 * Byte table (1 KiB of constants, FRAM on the MSP430): the image check at every boot and at LDE runs over the whole
 * weights image, so it is on the boot path of every power cycle. Measured in mspdebug's simulator (16-bit code):
 * about 22 cycles per byte, against about 80 for a nibble table (32-bit shifts by 4 cost a loop of word rotates).
 */
static const uint32_t crc32_table[256] = {
  0x00000000UL, 0x77073096UL, 0xEE0E612CUL, 0x990951BAUL, 0x076DC419UL, 0x706AF48FUL,
  0xE963A535UL, 0x9E6495A3UL, 0x0EDB8832UL, 0x79DCB8A4UL, 0xE0D5E91EUL, 0x97D2D988UL,
  0x09B64C2BUL, 0x7EB17CBDUL, 0xE7B82D07UL, 0x90BF1D91UL, 0x1DB71064UL, 0x6AB020F2UL,
  0xF3B97148UL, 0x84BE41DEUL, 0x1ADAD47DUL, 0x6DDDE4EBUL, 0xF4D4B551UL, 0x83D385C7UL,
  0x136C9856UL, 0x646BA8C0UL, 0xFD62F97AUL, 0x8A65C9ECUL, 0x14015C4FUL, 0x63066CD9UL,
  0xFA0F3D63UL, 0x8D080DF5UL, 0x3B6E20C8UL, 0x4C69105EUL, 0xD56041E4UL, 0xA2677172UL,
  0x3C03E4D1UL, 0x4B04D447UL, 0xD20D85FDUL, 0xA50AB56BUL, 0x35B5A8FAUL, 0x42B2986CUL,
  0xDBBBC9D6UL, 0xACBCF940UL, 0x32D86CE3UL, 0x45DF5C75UL, 0xDCD60DCFUL, 0xABD13D59UL,
  0x26D930ACUL, 0x51DE003AUL, 0xC8D75180UL, 0xBFD06116UL, 0x21B4F4B5UL, 0x56B3C423UL,
  0xCFBA9599UL, 0xB8BDA50FUL, 0x2802B89EUL, 0x5F058808UL, 0xC60CD9B2UL, 0xB10BE924UL,
  0x2F6F7C87UL, 0x58684C11UL, 0xC1611DABUL, 0xB6662D3DUL, 0x76DC4190UL, 0x01DB7106UL,
  0x98D220BCUL, 0xEFD5102AUL, 0x71B18589UL, 0x06B6B51FUL, 0x9FBFE4A5UL, 0xE8B8D433UL,
  0x7807C9A2UL, 0x0F00F934UL, 0x9609A88EUL, 0xE10E9818UL, 0x7F6A0DBBUL, 0x086D3D2DUL,
  0x91646C97UL, 0xE6635C01UL, 0x6B6B51F4UL, 0x1C6C6162UL, 0x856530D8UL, 0xF262004EUL,
  0x6C0695EDUL, 0x1B01A57BUL, 0x8208F4C1UL, 0xF50FC457UL, 0x65B0D9C6UL, 0x12B7E950UL,
  0x8BBEB8EAUL, 0xFCB9887CUL, 0x62DD1DDFUL, 0x15DA2D49UL, 0x8CD37CF3UL, 0xFBD44C65UL,
  0x4DB26158UL, 0x3AB551CEUL, 0xA3BC0074UL, 0xD4BB30E2UL, 0x4ADFA541UL, 0x3DD895D7UL,
  0xA4D1C46DUL, 0xD3D6F4FBUL, 0x4369E96AUL, 0x346ED9FCUL, 0xAD678846UL, 0xDA60B8D0UL,
  0x44042D73UL, 0x33031DE5UL, 0xAA0A4C5FUL, 0xDD0D7CC9UL, 0x5005713CUL, 0x270241AAUL,
  0xBE0B1010UL, 0xC90C2086UL, 0x5768B525UL, 0x206F85B3UL, 0xB966D409UL, 0xCE61E49FUL,
  0x5EDEF90EUL, 0x29D9C998UL, 0xB0D09822UL, 0xC7D7A8B4UL, 0x59B33D17UL, 0x2EB40D81UL,
  0xB7BD5C3BUL, 0xC0BA6CADUL, 0xEDB88320UL, 0x9ABFB3B6UL, 0x03B6E20CUL, 0x74B1D29AUL,
  0xEAD54739UL, 0x9DD277AFUL, 0x04DB2615UL, 0x73DC1683UL, 0xE3630B12UL, 0x94643B84UL,
  0x0D6D6A3EUL, 0x7A6A5AA8UL, 0xE40ECF0BUL, 0x9309FF9DUL, 0x0A00AE27UL, 0x7D079EB1UL,
  0xF00F9344UL, 0x8708A3D2UL, 0x1E01F268UL, 0x6906C2FEUL, 0xF762575DUL, 0x806567CBUL,
  0x196C3671UL, 0x6E6B06E7UL, 0xFED41B76UL, 0x89D32BE0UL, 0x10DA7A5AUL, 0x67DD4ACCUL,
  0xF9B9DF6FUL, 0x8EBEEFF9UL, 0x17B7BE43UL, 0x60B08ED5UL, 0xD6D6A3E8UL, 0xA1D1937EUL,
  0x38D8C2C4UL, 0x4FDFF252UL, 0xD1BB67F1UL, 0xA6BC5767UL, 0x3FB506DDUL, 0x48B2364BUL,
  0xD80D2BDAUL, 0xAF0A1B4CUL, 0x36034AF6UL, 0x41047A60UL, 0xDF60EFC3UL, 0xA867DF55UL,
  0x316E8EEFUL, 0x4669BE79UL, 0xCB61B38CUL, 0xBC66831AUL, 0x256FD2A0UL, 0x5268E236UL,
  0xCC0C7795UL, 0xBB0B4703UL, 0x220216B9UL, 0x5505262FUL, 0xC5BA3BBEUL, 0xB2BD0B28UL,
  0x2BB45A92UL, 0x5CB36A04UL, 0xC2D7FFA7UL, 0xB5D0CF31UL, 0x2CD99E8BUL, 0x5BDEAE1DUL,
  0x9B64C2B0UL, 0xEC63F226UL, 0x756AA39CUL, 0x026D930AUL, 0x9C0906A9UL, 0xEB0E363FUL,
  0x72076785UL, 0x05005713UL, 0x95BF4A82UL, 0xE2B87A14UL, 0x7BB12BAEUL, 0x0CB61B38UL,
  0x92D28E9BUL, 0xE5D5BE0DUL, 0x7CDCEFB7UL, 0x0BDBDF21UL, 0x86D3D2D4UL, 0xF1D4E242UL,
  0x68DDB3F8UL, 0x1FDA836EUL, 0x81BE16CDUL, 0xF6B9265BUL, 0x6FB077E1UL, 0x18B74777UL,
  0x88085AE6UL, 0xFF0F6A70UL, 0x66063BCAUL, 0x11010B5CUL, 0x8F659EFFUL, 0xF862AE69UL,
  0x616BFFD3UL, 0x166CCF45UL, 0xA00AE278UL, 0xD70DD2EEUL, 0x4E048354UL, 0x3903B3C2UL,
  0xA7672661UL, 0xD06016F7UL, 0x4969474DUL, 0x3E6E77DBUL, 0xAED16A4AUL, 0xD9D65ADCUL,
  0x40DF0B66UL, 0x37D83BF0UL, 0xA9BCAE53UL, 0xDEBB9EC5UL, 0x47B2CF7FUL, 0x30B5FFE9UL,
  0xBDBDF21CUL, 0xCABAC28AUL, 0x53B39330UL, 0x24B4A3A6UL, 0xBAD03605UL, 0xCDD70693UL,
  0x54DE5729UL, 0x23D967BFUL, 0xB3667A2EUL, 0xC4614AB8UL, 0x5D681B02UL, 0x2A6F2B94UL,
  0xB40BBE37UL, 0xC30C8EA1UL, 0x5A05DF1BUL, 0x2D02EF8DUL,
};

uint32_t inas_crc32_update(uint32_t state, const uint8_t *data, uint16_t len)
{
  uint16_t i;
  for (i = 0; i < len; i++) {
    state = (state >> 8) ^ crc32_table[(uint8_t)((uint8_t)state ^ data[i])];
  }
  return state;
}

/* ------------------------------------------------------------------------------------------------ writer */

static char pw_buf[INAS_PROTO_MAX_LINE];
static uint16_t pw_len;
static bool pw_overflow;
static bool pw_first_field;

static const char HEXDIGITS[] = "0123456789ABCDEF";

static void pw_put(char c)
{
  /* Keep room for "*CCCC\r\n" (7 bytes). */
  if (pw_len + 7u < INAS_PROTO_MAX_LINE) {
    pw_buf[pw_len++] = c;
  } else {
    pw_overflow = true;
  }
}

static void pw_sep(void)
{
  if (!pw_first_field) pw_put(',');
  pw_first_field = false;
}

/* Decimal digits by subtracting powers of ten: 16-bit MSP430 code has no divider, and a 32-bit division per digit
 * (library call) would cost more than the rest of the line. */
static const uint32_t POW10[10] = {1000000000UL, 100000000UL, 10000000UL, 1000000UL, 100000UL,
                                   10000UL,      1000UL,      100UL,      10UL,      1UL};

static void pw_put_u32(uint32_t v)
{
  uint8_t i;
  bool started = false;
  for (i = 0; i < 10u; i++) {
    char d = '0';
    while (v >= POW10[i]) {
      v -= POW10[i];
      d++;
    }
    if (d != '0' || started || i == 9u) {
      pw_put(d);
      started = true;
    }
  }
}

void inas_pw_begin(const char *tag)
{
  pw_len = 0;
  pw_overflow = false;
  pw_first_field = true;
  pw_put('$');
  while (*tag != '\0') pw_put(*tag++);
  pw_first_field = false;
}

void inas_pw_u32(uint32_t v)
{
  pw_sep();
  pw_put_u32(v);
}

void inas_pw_i32(int32_t v)
{
  pw_sep();
  if (v < 0) {
    pw_put('-');
    pw_put_u32((uint32_t)(-(v + 1)) + 1u);
  } else {
    pw_put_u32((uint32_t)v);
  }
}

static void pw_put_hex(uint32_t v, uint8_t digits)
{
  while (digits > 0u) {
    digits--;
    pw_put(HEXDIGITS[(v >> (4u * digits)) & 0xFu]);
  }
}

void inas_pw_x16(uint16_t v)
{
  pw_sep();
  pw_put_hex(v, 4);
}

void inas_pw_x32(uint32_t v)
{
  pw_sep();
  pw_put_hex(v, 8);
}

void inas_pw_str(const char *s)
{
  pw_sep();
  for (; *s != '\0'; s++) {
    char c = *s;
    bool bad = c < 0x20 || c > 0x7e || c == '$' || c == ',' || c == '*';
    pw_put(bad ? '_' : c);
  }
}

void inas_pw_i16list(const int16_t *v, uint16_t count)
{
  uint16_t i;
  pw_sep();
  for (i = 0; i < count; i++) {
    int32_t x = v[i];
    if (i > 0u) pw_put(' ');
    if (x < 0) {
      pw_put('-');
      x = -x;
    }
    pw_put_u32((uint32_t)x);
  }
}

void inas_pw_hex(const uint8_t *v, uint16_t len)
{
  uint16_t i;
  pw_sep();
  for (i = 0; i < len; i++) pw_put_hex(v[i], 2);
}

void inas_pw_end(void)
{
  uint16_t crc;
  if (pw_overflow) {
    uint16_t dropped = pw_len;
    inas_pw_begin("ERR");
    inas_pw_x16(INAS_ST_PROTO_TOO_LARGE);
    inas_pw_u32(dropped);
    inas_pw_str("line too long");
  }
  crc = inas_crc16(0xFFFFu, (const uint8_t *)pw_buf + 1, (uint16_t)(pw_len - 1u));
  pw_buf[pw_len++] = '*';
  pw_buf[pw_len++] = HEXDIGITS[(crc >> 12) & 0xFu];
  pw_buf[pw_len++] = HEXDIGITS[(crc >> 8) & 0xFu];
  pw_buf[pw_len++] = HEXDIGITS[(crc >> 4) & 0xFu];
  pw_buf[pw_len++] = HEXDIGITS[crc & 0xFu];
  pw_buf[pw_len++] = '\r';
  pw_buf[pw_len++] = '\n';
  inas_proto_port_uart_write((const uint8_t *)pw_buf, pw_len);
}

/* ------------------------------------------------------------------------------------------------ reader */

static const inas_cmd_spec_t cmd_specs[INAS_CMD_COUNT] = INAS_CMD_SPECS;
static uint8_t rx_buf[INAS_PROTO_MAX_LINE];
static uint16_t rx_len;
static bool rx_in_line;
static bool rx_overlong;

static int8_t hexval(uint8_t c)
{
  if (c >= '0' && c <= '9') return (int8_t)(c - '0');
  if (c >= 'A' && c <= 'F') return (int8_t)(c - 'A' + 10);
  if (c >= 'a' && c <= 'f') return (int8_t)(c - 'a' + 10);
  return -1;
}

/* Parses rx_buf[0..rx_len) = "TAG,f,...*CCCC" (without '$'). */
static uint8_t rx_parse(inas_cmd_t *cmd, uint16_t *status)
{
  uint16_t star = rx_len, i, crc = 0, pos, end;
  uint8_t id, f;
  const inas_cmd_spec_t *spec = NULL;

  while (star > 0u && rx_buf[star - 1u] != '*') star--;
  if (star == 0u || rx_len - star != 4u) {
    *status = INAS_ST_PROTO_LINE_CRC;
    return INAS_RX_DROPPED;
  }
  star--; /* index of '*' */
  for (i = 0; i < 4u; i++) {
    int8_t h = hexval(rx_buf[star + 1u + i]);
    if (h < 0) {
      *status = INAS_ST_PROTO_LINE_CRC;
      return INAS_RX_DROPPED;
    }
    crc = (uint16_t)((crc << 4) | (uint16_t)h);
  }
  if (inas_crc16(0xFFFFu, rx_buf, star) != crc) {
    *status = INAS_ST_PROTO_LINE_CRC;
    return INAS_RX_DROPPED;
  }
  /* Tag. */
  end = 0;
  while (end < star && rx_buf[end] != ',') end++;
  for (id = 0; id < INAS_CMD_COUNT; id++) {
    const char *t = cmd_specs[id].tag;
    uint16_t k = 0;
    while (k < end && t[k] != '\0' && (uint8_t)t[k] == rx_buf[k]) k++;
    if (k == end && t[k] == '\0') {
      spec = &cmd_specs[id];
      break;
    }
  }
  if (spec == NULL) {
    *status = INAS_ST_PROTO_BAD_LINE;
    return INAS_RX_DROPPED;
  }
  zero_bytes(cmd, sizeof *cmd);
  cmd->id = (uint8_t)(id + 1u);
  pos = end;
  {
    uint8_t nu = 0;
    for (f = 0; f < spec->nfields; f++) {
      uint16_t start;
      if (pos >= star || rx_buf[pos] != ',') {
        *status = INAS_ST_PROTO_BAD_LINE;
        return INAS_RX_DROPPED;
      }
      start = (uint16_t)(pos + 1u);
      end = start;
      while (end < star && rx_buf[end] != ',') end++;
      if (spec->types[f] == INAS_PF_HEX) {
        uint16_t n = (uint16_t)(end - start), k;
        if ((n & 1u) != 0u) {
          *status = INAS_ST_PROTO_BAD_LINE;
          return INAS_RX_DROPPED;
        }
        /* Decode in place: byte k goes to rx_buf[start + k] (never ahead of the digits being read). */
        for (k = 0; k < n / 2u; k++) {
          int8_t hi = hexval(rx_buf[start + 2u * k]), lo = hexval(rx_buf[start + 2u * k + 1u]);
          if (hi < 0 || lo < 0) {
            *status = INAS_ST_PROTO_BAD_LINE;
            return INAS_RX_DROPPED;
          }
          rx_buf[start + k] = (uint8_t)((hi << 4) | lo);
        }
        cmd->hex = &rx_buf[start];
        cmd->hex_len = (uint16_t)(n / 2u);
      } else {
        uint32_t v = 0;
        uint16_t k;
        bool hex = spec->types[f] == INAS_PF_X16 || spec->types[f] == INAS_PF_X32;
        if (end == start || (uint16_t)(end - start) > 10u) {
          *status = INAS_ST_PROTO_BAD_LINE;
          return INAS_RX_DROPPED;
        }
        for (k = start; k < end; k++) {
          int8_t d = hexval(rx_buf[k]);
          if (d < 0 || (!hex && d > 9)) {
            *status = INAS_ST_PROTO_BAD_LINE;
            return INAS_RX_DROPPED;
          }
          v = hex ? (v << 4) | (uint32_t)d : v * 10u + (uint32_t)d;
        }
        if (nu < INAS_CMD_MAX_FIELDS) cmd->u[nu++] = v;
      }
      pos = end;
    }
  }
  if (pos != star) {
    *status = INAS_ST_PROTO_BAD_LINE;
    return INAS_RX_DROPPED;
  }
  return INAS_RX_CMD;
}

uint8_t inas_proto_rx_byte(uint8_t byte, inas_cmd_t *cmd, uint16_t *status)
{
  if (byte == '$') {
    uint8_t r = INAS_RX_NONE;
    if (rx_in_line && rx_len > 0u) {
      *status = INAS_ST_PROTO_BAD_LINE; /* partial line interrupted by a new one */
      r = INAS_RX_DROPPED;
    }
    rx_in_line = true;
    rx_overlong = false;
    rx_len = 0;
    return r;
  }
  if (!rx_in_line) return INAS_RX_NONE;
  if (byte == '\r' || byte == '\n') {
    rx_in_line = false;
    if (rx_overlong) {
      *status = INAS_ST_PROTO_TOO_LARGE;
      return INAS_RX_DROPPED;
    }
    return rx_parse(cmd, status);
  }
  if (rx_len < INAS_PROTO_MAX_LINE) {
    rx_buf[rx_len++] = byte;
  } else {
    rx_overlong = true;
  }
  return INAS_RX_NONE;
}

/* ------------------------------------------------------------------------------------------------ record */

#define REC_MAGIC 0x444C4E49UL /* "INLD" little-endian */
#define REC_SLOT_BYTES 56u
/* Stored-only state: the image is complete, its CRC-32 check is in progress (vpos chunks done). */
#define REC_VERIFYING 4u
#define REC_TABLE_OFFSET (2u * REC_SLOT_BYTES)

typedef struct {
  uint32_t seq;
  uint32_t state;
  uint32_t size;
  uint32_t crc;
  uint32_t next;
  uint32_t runs;
  uint32_t boots;
  uint32_t done;
  uint32_t mark; /* engine inference counter + 1 at the start of the queued inference in progress (0 = unknown) */
  uint32_t vpos; /* verification: chunks checked so far */
  uint32_t vcrc; /* verification: running CRC-32 state after vpos chunks */
  uint32_t spos; /* rolling scrub: next chunk to re-check at boot */
} proto_record_t;

static inas_proto_cfg_t cfg;
static proto_record_t rec;
static inas_img_state_t img_state = INAS_IMG_EMPTY;
static uint16_t verify_refusal; /* why the last verification failed (INAS_ST_PROTO_IMAGE_CRC or the firmware's status) */

static void put32(uint8_t *p, uint32_t v)
{
  p[0] = (uint8_t)v;
  p[1] = (uint8_t)(v >> 8);
  p[2] = (uint8_t)(v >> 16);
  p[3] = (uint8_t)(v >> 24);
}

static uint32_t get32(const uint8_t *p)
{
  return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

static bool rec_read_slot(uint8_t slot, proto_record_t *r)
{
  uint8_t b[REC_SLOT_BYTES];
  inas_proto_port_nvm_read(cfg.record_addr + (uint32_t)slot * REC_SLOT_BYTES, b, REC_SLOT_BYTES);
  if (get32(b) != REC_MAGIC) return false;
  if (~inas_crc32_update(0xFFFFFFFFUL, b, REC_SLOT_BYTES - 4u) != get32(b + REC_SLOT_BYTES - 4u)) return false;
  r->seq = get32(b + 4);
  r->state = get32(b + 8);
  r->size = get32(b + 12);
  r->crc = get32(b + 16);
  r->next = get32(b + 20);
  r->runs = get32(b + 24);
  r->boots = get32(b + 28);
  r->done = get32(b + 32);
  r->mark = get32(b + 36);
  r->vpos = get32(b + 40);
  r->vcrc = get32(b + 44);
  r->spos = get32(b + 48);
  return r->state <= REC_VERIFYING;
}

/* Progress commit: the new record goes to the slot not holding the current one, so a torn write leaves the old. */
static void rec_commit(void)
{
  uint8_t b[REC_SLOT_BYTES];
  rec.seq++;
  put32(b, REC_MAGIC);
  put32(b + 4, rec.seq);
  put32(b + 8, rec.state);
  put32(b + 12, rec.size);
  put32(b + 16, rec.crc);
  put32(b + 20, rec.next);
  put32(b + 24, rec.runs);
  put32(b + 28, rec.boots);
  put32(b + 32, rec.done);
  put32(b + 36, rec.mark);
  put32(b + 40, rec.vpos);
  put32(b + 44, rec.vcrc);
  put32(b + 48, rec.spos);
  put32(b + 52, ~inas_crc32_update(0xFFFFFFFFUL, b, REC_SLOT_BYTES - 4u));
  inas_proto_port_nvm_write(cfg.record_addr + (rec.seq & 1u) * REC_SLOT_BYTES, b, REC_SLOT_BYTES);
}

static void rec_load(void)
{
  proto_record_t a, b;
  bool va = rec_read_slot(0, &a), vb = rec_read_slot(1, &b);
  if (va && vb) {
    rec = (a.seq - b.seq) < 0x80000000UL ? a : b; /* the newer one (wrap-safe) */
  } else if (va) {
    rec = a;
  } else if (vb) {
    rec = b;
  } else {
    zero_bytes(&rec, sizeof rec);
    rec.state = (uint32_t)INAS_IMG_EMPTY;
  }
}

/* CRC-32 state after `len` image bytes from `off`, starting from `state` (no final inversion). */
static uint32_t image_crc_state(uint32_t state, uint32_t off, uint32_t len)
{
  uint8_t b[32];
  uint32_t end = off + len;
  while (off < end) {
    uint16_t n = (uint16_t)((end - off) < sizeof b ? (end - off) : sizeof b);
    inas_proto_port_nvm_read(cfg.image_addr + off, b, n);
    state = inas_crc32_update(state, b, n);
    off += n;
  }
  return state;
}

/* ---- image check: chunked verification after a load, rolling scrub at later boots (README "Image check") ---- */

uint32_t inas_proto_check_chunk_bytes(uint32_t size)
{
  uint32_t c = (size + INAS_PROTO_CHECK_SLOTS - 1u) / INAS_PROTO_CHECK_SLOTS;
  return c < INAS_PROTO_CHECK_CHUNK_BYTES ? INAS_PROTO_CHECK_CHUNK_BYTES : c;
}

static uint32_t check_chunks(void)
{
  uint32_t c = inas_proto_check_chunk_bytes(rec.size);
  return (rec.size + c - 1u) / c;
}

/* Bytes of chunk i (the last one may be short). */
static uint32_t chunk_len(uint32_t i, uint32_t c)
{
  uint32_t off = i * c;
  return rec.size - off < c ? rec.size - off : c;
}

static uint32_t table_addr(uint32_t i) { return cfg.record_addr + REC_TABLE_OFFSET + 4u * i; }

#ifndef INAS_PROTO_BOOT_FULL_CHECK
static uint32_t table_get(uint32_t i)
{
  uint8_t b[4];
  inas_proto_port_nvm_read(table_addr(i), b, 4u);
  return get32(b);
}
#endif

/*
 * Runs the verification to its end, one chunk per record commit: the chunk's running CRC-32 state goes to the
 * chunk table first, then the record advances (vpos, vcrc), so a power failure anywhere loses at most the chunk in
 * flight and the next boot resumes there. At the end, the image is OK only if the CRC matches the one LDB announced
 * and the firmware accepts the image; otherwise CORRUPT. Either way the result is committed.
 */
static void verify_run(void)
{
  uint32_t n = check_chunks(), c = inas_proto_check_chunk_bytes(rec.size);
  while (rec.vpos < n) {
    uint8_t b[4];
    uint32_t st = image_crc_state(rec.vcrc, rec.vpos * c, chunk_len(rec.vpos, c));
    put32(b, st);
    inas_proto_port_nvm_write(table_addr(rec.vpos), b, 4u);
    rec.vcrc = st;
    rec.vpos++;
    rec_commit();
  }
  verify_refusal = INAS_ST_PROTO_IMAGE_CRC;
  if (~rec.vcrc != rec.crc) {
    rec.state = (uint32_t)INAS_IMG_CORRUPT;
    img_state = INAS_IMG_CORRUPT;
    rec_commit();
    return;
  }
  verify_refusal = inas_proto_port_image_committed(rec.size, rec.crc);
  if (verify_refusal != 0u) {
    rec.state = (uint32_t)INAS_IMG_CORRUPT;
    img_state = INAS_IMG_CORRUPT;
    rec_commit();
    return;
  }
  rec.state = (uint32_t)INAS_IMG_OK;
  rec.spos = 0;
  img_state = INAS_IMG_OK;
  rec_commit();
}

#ifndef INAS_PROTO_BOOT_FULL_CHECK
/* One rolling-scrub step over a verified image: re-checks chunk spos against the chunk table (its start state is
 * the previous entry's; the last entry must also give the image CRC). Returns false on a mismatch. */
static bool scrub_step(void)
{
  uint32_t n = check_chunks(), c = inas_proto_check_chunk_bytes(rec.size), i = rec.spos < n ? rec.spos : 0u;
  uint32_t start = i == 0u ? 0xFFFFFFFFUL : table_get(i - 1u);
  uint32_t want = table_get(i);
  bool good = image_crc_state(start, i * c, chunk_len(i, c)) == want && (i + 1u < n || ~want == rec.crc);
  rec.spos = i + 1u < n ? i + 1u : 0u;
  return good;
}
#endif

#ifdef INAS_PROTO_BOOT_FULL_CHECK
static uint32_t image_crc_in_nvm(uint32_t size) { return ~image_crc_state(0xFFFFFFFFUL, 0u, size); }
#endif

const char *inas_proto_image_state_name(inas_img_state_t s)
{
  switch (s) {
    case INAS_IMG_EMPTY: return "empty";
    case INAS_IMG_PARTIAL: return "partial";
    case INAS_IMG_CORRUPT: return "corrupt";
    case INAS_IMG_OK: return "ok";
    default: return "unknown";
  }
}

void inas_proto_boot_begin(const inas_proto_cfg_t *c)
{
  cfg = *c;
  rx_len = 0;
  rx_in_line = false;
  rec_load();
  rec.boots++;
  rec_commit();
}

inas_img_state_t inas_proto_boot_check(void)
{
  if (rec.state == REC_VERIFYING) {
    verify_run(); /* commits the outcome */
  } else if (rec.state == (uint32_t)INAS_IMG_OK) {
#ifdef INAS_PROTO_BOOT_FULL_CHECK
    img_state = image_crc_in_nvm(rec.size) == rec.crc ? INAS_IMG_OK : INAS_IMG_CORRUPT;
#else
    img_state = scrub_step() ? INAS_IMG_OK : INAS_IMG_CORRUPT;
    if (img_state == INAS_IMG_OK) rec_commit(); /* the scrub position */
#endif
    if (img_state != INAS_IMG_OK) {
      rec.state = (uint32_t)INAS_IMG_CORRUPT;
      rec.runs = 0;
      rec_commit();
    }
  } else {
    img_state = (inas_img_state_t)rec.state;
    if (rec.runs != 0u) {
      rec.runs = 0;
      rec_commit();
    }
  }
  inas_evt_boot(INAS_PROTO_VERSION, rec.boots, cfg.fw_crc, rec.state == (uint32_t)INAS_IMG_EMPTY ? 0u : rec.crc,
                inas_proto_image_state_name(img_state), cfg.tick_hz, cfg.version, cfg.digest);
  return img_state;
}

inas_img_state_t inas_proto_boot(const inas_proto_cfg_t *c)
{
  inas_proto_boot_begin(c);
  return inas_proto_boot_check();
}

uint32_t inas_proto_check_position(void) { return rec.state == REC_VERIFYING ? rec.vpos : rec.spos; }

inas_img_state_t inas_proto_image_state(void) { return img_state; }
uint32_t inas_proto_image_crc(void) { return rec.crc; }
uint32_t inas_proto_image_size(void) { return rec.size; }
uint32_t inas_proto_runs_pending(void) { return img_state == INAS_IMG_OK ? rec.runs : 0u; }
uint32_t inas_proto_inferences_done(void) { return rec.done; }
uint32_t inas_proto_boots(void) { return rec.boots; }

uint32_t inas_proto_load_next(void) { return rec.next; }
uint32_t inas_proto_run_mark(void) { return rec.mark; }

void inas_proto_set_run_mark(uint32_t mark)
{
  rec.mark = mark;
  rec_commit();
}

void inas_proto_run_done_mark(uint32_t next_mark)
{
  if (rec.runs > 0u) rec.runs--;
  rec.done++;
  rec.mark = next_mark;
  rec_commit();
}

void inas_proto_run_done(void) { inas_proto_run_done_mark(0u); }

/* ------------------------------------------------------------------------------------------------ commands */

static void nak(uint32_t seq, uint16_t status)
{
  inas_evt_nak(seq, status, rec.state == (uint32_t)INAS_IMG_PARTIAL ? rec.next : 0u);
}

static void handle_ldc(const inas_cmd_t *cmd)
{
  uint32_t seq = INAS_CMD_LDC_SEQ(cmd), off = INAS_CMD_LDC_OFFSET(cmd), len = INAS_CMD_LDC_LEN(cmd);
  if (rec.state != (uint32_t)INAS_IMG_PARTIAL) {
    nak(seq, INAS_ST_PROTO_NO_IMAGE);
    return;
  }
  if (len != cmd->hex_len || len > INAS_PROTO_CHUNK_BYTES || off + len > rec.size || off + len < off) {
    nak(seq, len != cmd->hex_len ? INAS_ST_PROTO_BAD_LINE : INAS_ST_PROTO_TOO_LARGE);
    return;
  }
  if (off > rec.next) {
    nak(seq, INAS_ST_PROTO_OUT_OF_ORDER);
    return;
  }
  /* Data first, then the progress record. A chunk at or below `next` rewrites the same bytes (idempotent). */
  inas_proto_port_nvm_write(cfg.image_addr + off, cmd->hex, (uint16_t)len);
  if (off + len > rec.next) {
    rec.next = off + len;
    rec_commit();
  }
  inas_evt_ack(seq, rec.next);
}

void inas_proto_handle(const inas_cmd_t *cmd)
{
  switch (cmd->id) {
    case INAS_CMD_PING:
      inas_evt_pong(INAS_CMD_PING_SEQ(cmd), rec.boots, cfg.fw_crc, rec.state == (uint32_t)INAS_IMG_EMPTY ? 0u : rec.crc,
                    inas_proto_image_state_name(img_state), cfg.tick_hz, cfg.version, cfg.digest);
      break;
    case INAS_CMD_LDQ:
      inas_evt_ldst(inas_proto_image_state_name(rec.state == (uint32_t)INAS_IMG_OK  ? img_state
                                                : rec.state == REC_VERIFYING ? INAS_IMG_PARTIAL
                                                                             : (inas_img_state_t)rec.state),
                    rec.size, rec.crc, rec.next, cfg.image_capacity_bytes, INAS_PROTO_CHUNK_BYTES);
      break;
    case INAS_CMD_LDB:
      if (INAS_CMD_LDB_SIZE(cmd) > cfg.image_capacity_bytes || INAS_CMD_LDB_SIZE(cmd) == 0u) {
        nak(INAS_CMD_LDB_SEQ(cmd), INAS_ST_PROTO_TOO_LARGE);
        break;
      }
      inas_proto_port_image_invalidated();
      rec.state = (uint32_t)INAS_IMG_PARTIAL;
      rec.size = INAS_CMD_LDB_SIZE(cmd);
      rec.crc = INAS_CMD_LDB_CRC(cmd);
      rec.next = 0;
      rec.runs = 0;
      rec.mark = 0;
      img_state = INAS_IMG_PARTIAL;
      rec_commit();
      inas_evt_ack(INAS_CMD_LDB_SEQ(cmd), 0);
      break;
    case INAS_CMD_LDC:
      handle_ldc(cmd);
      break;
    case INAS_CMD_LDE: {
      uint32_t seq = INAS_CMD_LDE_SEQ(cmd);
      if (rec.state == (uint32_t)INAS_IMG_OK && img_state == INAS_IMG_OK) {
        inas_evt_ack(seq, rec.size); /* a repeated LDE after a lost ACK */
        break;
      }
      if (rec.state != (uint32_t)INAS_IMG_PARTIAL && rec.state != REC_VERIFYING) {
        nak(seq, INAS_ST_PROTO_NO_IMAGE);
        break;
      }
      if (rec.next != rec.size) {
        nak(seq, INAS_ST_PROTO_INCOMPLETE);
        break;
      }
      if (rec.state == (uint32_t)INAS_IMG_PARTIAL) {
        rec.state = REC_VERIFYING;
        rec.vpos = 0;
        rec.vcrc = 0xFFFFFFFFUL;
        rec_commit();
      }
      verify_run(); /* resumes a verification a power failure interrupted */
      if (img_state != INAS_IMG_OK) {
        inas_evt_nak(seq, verify_refusal, 0);
        break;
      }
      inas_evt_ack(seq, rec.size);
      break;
    }
    case INAS_CMD_RUN:
      if (img_state != INAS_IMG_OK) {
        nak(INAS_CMD_RUN_SEQ(cmd), INAS_ST_PROTO_MODEL_INVALID);
        break;
      }
      rec.runs += INAS_CMD_RUN_COUNT(cmd);
      rec_commit();
      inas_evt_ack(INAS_CMD_RUN_SEQ(cmd), rec.runs);
      break;
    case INAS_CMD_STOP:
      rec.runs = 0;
      rec.mark = 0;
      rec_commit();
      inas_evt_ack(INAS_CMD_STOP_SEQ(cmd), 0);
      break;
    default:
      nak(0, INAS_ST_PROTO_BAD_LINE);
      break;
  }
}

void inas_proto_service(void)
{
  uint8_t byte;
  inas_cmd_t cmd;
  uint16_t status = 0;
  uint16_t budget = 4u * INAS_PROTO_MAX_LINE; /* bounded: never starve the caller */
  while (budget-- > 0u && inas_proto_port_uart_read(&byte) != 0u) {
    uint8_t r = inas_proto_rx_byte(byte, &cmd, &status);
    if (r == INAS_RX_CMD) {
      inas_proto_handle(&cmd);
    } else if (r == INAS_RX_DROPPED) {
      nak(0, status);
    }
  }
}
