/**
 * The procedure catalogue the seed gives each agency, by the level that carries it out.
 *
 * Names, fields and legal processing times are those of common procedures of the national database
 * (CSDLQG về TTHC) as recalled [K]; the national codes keep the real format (`1.00xxxx` for local
 * procedures, `2.00xxxx` for provincial ones) but the NUMBERS ARE SYNTHETIC, and so are the field codes
 * (styled like `G03-GD10`). Replace both from the national database when it is connected.
 */
import type { AgencyLevel } from '../../../kit';

export interface ProcedureSeed {
  nationalCode: string;
  name: string;
  fieldCode: string;
  fieldName: string;
  processingDays: number;
  fee: number;
  landRelated: boolean;
  /** Relative demand (how many dossiers it gets). */
  demand: number;
}

/** field name → synthetic field code and the unit that processes it */
const FIELDS: Record<string, { code: string; unit: string }> = {
  'Hộ tịch': { code: 'G13-HT01', unit: 'Phòng Tư pháp' },
  'Chứng thực': { code: 'G13-CT02', unit: 'Phòng Tư pháp' },
  'Đất đai': { code: 'G16-DD01', unit: 'Văn phòng đăng ký đất đai' },
  'Xây dựng': { code: 'G11-XD01', unit: 'Phòng Quản lý đô thị' },
  'Thành lập và hoạt động của hộ kinh doanh': { code: 'G08-KD03', unit: 'Phòng Tài chính – Kế hoạch' },
  'Thành lập và hoạt động doanh nghiệp': { code: 'G08-DN01', unit: 'Phòng Đăng ký kinh doanh' },
  'Đầu tư tại Việt Nam': { code: 'G08-DT02', unit: 'Phòng Đăng ký kinh doanh' },
  'Lưu thông hàng hóa trong nước': { code: 'G10-TM04', unit: 'Phòng Kinh tế' },
  'An toàn thực phẩm': { code: 'G17-AT05', unit: 'Phòng Y tế' },
  'Giáo dục và Đào tạo': { code: 'G03-GD10', unit: 'Phòng Giáo dục và Đào tạo' },
  'Bảo trợ xã hội': { code: 'G14-BT02', unit: 'Phòng Lao động – Thương binh và Xã hội' },
  'Người có công': { code: 'G14-NCC1', unit: 'Phòng Lao động – Thương binh và Xã hội' },
  'Việc làm': { code: 'G14-VL03', unit: 'Phòng Lao động – Thương binh và Xã hội' },
  'Môi trường': { code: 'G16-MT04', unit: 'Phòng Tài nguyên và Môi trường' },
  'Tài nguyên nước': { code: 'G16-TN05', unit: 'Phòng Tài nguyên và Môi trường' },
  'Khoáng sản': { code: 'G16-KS06', unit: 'Phòng Tài nguyên và Môi trường' },
  'Văn hóa': { code: 'G15-VH01', unit: 'Phòng Văn hóa và Thông tin' },
  'Du lịch': { code: 'G15-DL03', unit: 'Phòng Văn hóa và Thông tin' },
  'Xuất bản, In và Phát hành': { code: 'G12-XB02', unit: 'Phòng Văn hóa và Thông tin' },
  'Đường bộ': { code: 'G10-GT01', unit: 'Phòng Kinh tế và Hạ tầng' },
  'Đường thủy nội địa': { code: 'G10-GT03', unit: 'Phòng Kinh tế và Hạ tầng' },
  'Thi đua, khen thưởng': { code: 'G09-TD01', unit: 'Phòng Nội vụ' },
  'Tín ngưỡng, tôn giáo': { code: 'G09-TG02', unit: 'Phòng Nội vụ' },
  'Giải quyết khiếu nại, tố cáo': { code: 'G22-KN01', unit: 'Thanh tra' },
  'Khám bệnh, chữa bệnh': { code: 'G17-KB01', unit: 'Phòng Y tế' },
  'Dược phẩm': { code: 'G17-DP02', unit: 'Phòng Y tế' },
  'Lý lịch tư pháp': { code: 'G13-LL03', unit: 'Phòng Tư pháp' },
  'Công chứng': { code: 'G13-CC04', unit: 'Phòng Tư pháp' },
  'Hòa giải ở cơ sở': { code: 'G13-HG05', unit: 'Công chức Tư pháp – Hộ tịch' },
  'Chăn nuôi': { code: 'G07-CN01', unit: 'Phòng Nông nghiệp' },
};

/** The unit that processes dossiers of a field. */
export const processingUnit = (fieldName: string): string => FIELDS[fieldName]?.unit ?? 'Bộ phận chuyên môn';

type Row = [name: string, field: string, days: number, fee: number, demand: number, land?: boolean];

const PROVINCE: Row[] = [
  ['Cấp giấy phép xây dựng công trình', 'Xây dựng', 20, 150_000, 6],
  ['Cấp chứng chỉ hành nghề y, dược tư nhân', 'Khám bệnh, chữa bệnh', 30, 360_000, 3],
  ['Giải quyết khiếu nại, tố cáo', 'Giải quyết khiếu nại, tố cáo', 45, 0, 2],
  ['Đăng ký thành lập doanh nghiệp', 'Thành lập và hoạt động doanh nghiệp', 3, 50_000, 10],
  ['Đăng ký thay đổi nội dung đăng ký doanh nghiệp', 'Thành lập và hoạt động doanh nghiệp', 3, 50_000, 8],
  ['Cấp Giấy chứng nhận đăng ký đầu tư', 'Đầu tư tại Việt Nam', 15, 0, 2],
  ['Cấp Phiếu lý lịch tư pháp', 'Lý lịch tư pháp', 10, 200_000, 9],
  ['Cấp giấy phép lao động cho người lao động nước ngoài', 'Việc làm', 5, 600_000, 2],
  ['Đổi giấy phép lái xe do ngành Giao thông vận tải cấp', 'Đường bộ', 5, 135_000, 9],
  ['Cấp Giấy phép kinh doanh vận tải bằng xe ô tô', 'Đường bộ', 5, 200_000, 3],
  ['Cấp giấy phép khai thác khoáng sản', 'Khoáng sản', 90, 0, 1],
  ['Thẩm định báo cáo đánh giá tác động môi trường', 'Môi trường', 30, 0, 1],
  ['Cấp Giấy chứng nhận quyền sử dụng đất cho tổ chức', 'Đất đai', 30, 100_000, 2, true],
  ['Cấp giấy phép xuất bản bản tin', 'Xuất bản, In và Phát hành', 10, 0, 1],
  ['Cấp Giấy chứng nhận đủ điều kiện kinh doanh dược', 'Dược phẩm', 30, 0, 2],
  ['Cấp giấy phép hoạt động cơ sở khám bệnh, chữa bệnh', 'Khám bệnh, chữa bệnh', 60, 0, 1],
  ['Cấp chứng chỉ hành nghề hoạt động xây dựng', 'Xây dựng', 20, 300_000, 2],
  ['Đăng ký hoạt động của Văn phòng công chứng', 'Công chứng', 10, 1_000_000, 1],
  ['Cấp thẻ hướng dẫn viên du lịch', 'Du lịch', 15, 650_000, 1],
  ['Cấp giấy phép tổ chức biểu diễn nghệ thuật', 'Văn hóa', 5, 0, 1],
  ['Cấp giấy phép hoạt động bến thủy nội địa', 'Đường thủy nội địa', 5, 0, 1],
  ['Cấp giấy phép hoạt động in', 'Xuất bản, In và Phát hành', 7, 0, 1],
];

const DISTRICT: Row[] = [
  ['Đăng ký khai sinh có yếu tố nước ngoài', 'Hộ tịch', 5, 50_000, 2],
  ['Đăng ký kết hôn có yếu tố nước ngoài', 'Hộ tịch', 15, 1_000_000, 2],
  ['Đăng ký khai tử có yếu tố nước ngoài', 'Hộ tịch', 3, 50_000, 1],
  ['Thay đổi, cải chính, bổ sung thông tin hộ tịch, xác định lại dân tộc', 'Hộ tịch', 3, 25_000, 3],
  [
    'Ghi vào Sổ hộ tịch việc kết hôn của công dân Việt Nam đã giải quyết ở nước ngoài',
    'Hộ tịch',
    5,
    50_000,
    1,
  ],
  ['Chứng thực bản sao từ bản chính giấy tờ do cơ quan nước ngoài cấp', 'Chứng thực', 0, 2_000, 6],
  ['Chứng thực chữ ký người dịch', 'Chứng thực', 0, 10_000, 3],
  ['Đăng ký đất đai, cấp Giấy chứng nhận quyền sử dụng đất lần đầu', 'Đất đai', 30, 100_000, 8, true],
  [
    'Đăng ký biến động do chuyển nhượng, tặng cho, thừa kế quyền sử dụng đất',
    'Đất đai',
    10,
    50_000,
    12,
    true,
  ],
  ['Tách thửa hoặc hợp thửa đất', 'Đất đai', 15, 50_000, 4, true],
  ['Chuyển mục đích sử dụng đất phải được phép', 'Đất đai', 15, 50_000, 3, true],
  ['Cấp đổi Giấy chứng nhận quyền sử dụng đất', 'Đất đai', 7, 50_000, 4, true],
  ['Cấp lại Giấy chứng nhận quyền sử dụng đất do bị mất', 'Đất đai', 10, 50_000, 1, true],
  ['Xóa đăng ký thế chấp quyền sử dụng đất', 'Đất đai', 3, 20_000, 3, true],
  ['Cấp giấy phép xây dựng nhà ở riêng lẻ', 'Xây dựng', 15, 75_000, 7],
  ['Cấp giấy phép sửa chữa, cải tạo công trình', 'Xây dựng', 15, 75_000, 2],
  ['Điều chỉnh giấy phép xây dựng', 'Xây dựng', 10, 75_000, 1],
  ['Đăng ký thành lập hộ kinh doanh', 'Thành lập và hoạt động của hộ kinh doanh', 3, 100_000, 8],
  [
    'Đăng ký thay đổi nội dung đăng ký hộ kinh doanh',
    'Thành lập và hoạt động của hộ kinh doanh',
    3,
    100_000,
    3,
  ],
  ['Tạm ngừng kinh doanh hộ kinh doanh', 'Thành lập và hoạt động của hộ kinh doanh', 3, 0, 1],
  ['Chấm dứt hoạt động hộ kinh doanh', 'Thành lập và hoạt động của hộ kinh doanh', 3, 0, 1],
  ['Đăng ký thành lập hợp tác xã', 'Thành lập và hoạt động của hộ kinh doanh', 5, 100_000, 1],
  ['Cấp Giấy phép bán lẻ sản phẩm thuốc lá', 'Lưu thông hàng hóa trong nước', 15, 200_000, 1],
  ['Cấp Giấy phép bán lẻ rượu', 'Lưu thông hàng hóa trong nước', 10, 200_000, 1],
  ['Cấp Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm', 'An toàn thực phẩm', 15, 500_000, 2],
  ['Cho phép trường mầm non hoạt động giáo dục', 'Giáo dục và Đào tạo', 20, 0, 1],
  ['Thành lập trường tiểu học', 'Giáo dục và Đào tạo', 20, 0, 1],
  ['Chuyển trường đối với học sinh trung học cơ sở', 'Giáo dục và Đào tạo', 3, 0, 3],
  ['Thực hiện, điều chỉnh, thôi hưởng trợ cấp xã hội hàng tháng', 'Bảo trợ xã hội', 20, 0, 4],
  ['Hỗ trợ chi phí mai táng cho đối tượng bảo trợ xã hội', 'Bảo trợ xã hội', 5, 0, 2],
  ['Trợ giúp xã hội khẩn cấp về hỗ trợ làm nhà ở', 'Bảo trợ xã hội', 5, 0, 1],
  ['Giải quyết chế độ trợ cấp thờ cúng liệt sĩ', 'Người có công', 10, 0, 1],
  ['Xác nhận đăng ký kế hoạch bảo vệ môi trường', 'Môi trường', 10, 0, 1],
  ['Cấp giấy phép đủ điều kiện kinh doanh dịch vụ karaoke', 'Văn hóa', 5, 2_000_000, 1],
  ['Cấp giấy phép tổ chức lễ hội', 'Văn hóa', 10, 0, 1],
  [
    'Cấp giấy chứng nhận đủ điều kiện hoạt động điểm cung cấp dịch vụ trò chơi điện tử công cộng',
    'Văn hóa',
    4,
    200_000,
    1,
  ],
  ['Cấp phép thi công công trình trên đường bộ đang khai thác', 'Đường bộ', 7, 0, 1],
  ['Cấp phép sử dụng tạm thời một phần hè phố', 'Đường bộ', 5, 0, 1],
  ['Tặng Giấy khen của Chủ tịch Ủy ban nhân dân cấp huyện', 'Thi đua, khen thưởng', 20, 0, 2],
  ['Đăng ký hoạt động tín ngưỡng', 'Tín ngưỡng, tôn giáo', 15, 0, 1],
  ['Cấp bản sao trích lục hộ tịch', 'Hộ tịch', 0, 8_000, 4],
  ['Giải quyết khiếu nại lần đầu tại cấp huyện', 'Giải quyết khiếu nại, tố cáo', 30, 0, 1],
  ['Giải quyết tố cáo tại cấp huyện', 'Giải quyết khiếu nại, tố cáo', 30, 0, 1],
  ['Đăng ký khai thác nước dưới đất', 'Tài nguyên nước', 10, 0, 1],
  ['Xác nhận hợp đồng tiếp cận nguồn gen', 'Môi trường', 5, 0, 1],
  ['Công nhận xã, phường, thị trấn đạt chuẩn tiếp cận pháp luật', 'Thi đua, khen thưởng', 15, 0, 1],
];

const COMMUNE: Row[] = [
  ['Đăng ký khai sinh', 'Hộ tịch', 0, 0, 12],
  ['Đăng ký kết hôn', 'Hộ tịch', 0, 0, 5],
  ['Đăng ký khai tử', 'Hộ tịch', 0, 0, 3],
  ['Đăng ký giám hộ', 'Hộ tịch', 3, 0, 1],
  ['Đăng ký nhận cha, mẹ, con', 'Hộ tịch', 3, 0, 1],
  ['Cấp Giấy xác nhận tình trạng hôn nhân', 'Hộ tịch', 3, 0, 6],
  ['Cấp bản sao trích lục hộ tịch', 'Hộ tịch', 0, 8_000, 5],
  ['Chứng thực bản sao từ bản chính giấy tờ, văn bản', 'Chứng thực', 0, 2_000, 14],
  ['Chứng thực chữ ký trong giấy tờ, văn bản', 'Chứng thực', 0, 10_000, 5],
  ['Chứng thực hợp đồng, giao dịch liên quan đến tài sản là động sản', 'Chứng thực', 2, 50_000, 2],
  ['Chứng thực hợp đồng chuyển nhượng quyền sử dụng đất', 'Chứng thực', 2, 50_000, 3, true],
  ['Xác nhận hiện trạng sử dụng đất', 'Đất đai', 5, 0, 2, true],
  ['Hòa giải tranh chấp đất đai', 'Đất đai', 45, 0, 1, true],
  ['Xác định, xác định lại mức độ khuyết tật', 'Bảo trợ xã hội', 20, 0, 1],
  ['Xác nhận hộ gia đình làm nông nghiệp có mức sống trung bình', 'Bảo trợ xã hội', 7, 0, 1],
  ['Công nhận hòa giải viên', 'Hòa giải ở cơ sở', 5, 0, 1],
  ['Thông báo tổ chức lễ hội', 'Văn hóa', 5, 0, 1],
  ['Kê khai hoạt động chăn nuôi quy mô nhỏ', 'Chăn nuôi', 3, 0, 1],
];

/** Synthetic national codes in the real format, stable per level and position. */
function build(rows: Row[], prefix: string, start: number, step: number): ProcedureSeed[] {
  return rows.map(([name, fieldName, processingDays, fee, demand, land], i) => ({
    nationalCode: `${prefix}.${String(start + i * step).padStart(6, '0')}`,
    name,
    fieldCode: FIELDS[fieldName]!.code,
    fieldName,
    processingDays,
    fee,
    landRelated: land ?? false,
    demand,
  }));
}

export const PROCEDURES_BY_LEVEL: Partial<Record<AgencyLevel, readonly ProcedureSeed[]>> = {
  PROVINCE: build(PROVINCE, '2', 1021, 37),
  DISTRICT: build(DISTRICT, '1', 656, 41),
  COMMUNE: build(COMMUNE, '1', 4012, 53),
};

/** Bắc Ninh 2013: the three provincial services offered at level 3 (published figure). */
export const BAC_NINH_LEVEL3_2013 = [
  'Cấp giấy phép xây dựng công trình',
  'Cấp chứng chỉ hành nghề y, dược tư nhân',
  'Giải quyết khiếu nại, tố cáo',
];
