/** What the dossiers data suite's tests share: the agency they write to and a receipt. */

export const LAP_THACH = '000.00.46.H62';

export const RECEIVE = `mutation($input: ReceiveDossierInput!) { receiveDossier(input: $input) {
  code status statusCode dueDate receivedAt timeliness procedure { code processingDays } applicant { kind name idNumber phone address }
  steps { status action } } }`;

export const receiveInput = (over: Record<string, unknown> = {}) => ({
  agencyCode: LAP_THACH,
  procedureCode: '1.000656',
  channel: 'TRUC_TIEP',
  summary: 'Đăng ký khai sinh có yếu tố nước ngoài cho con',
  applicant: {
    kind: 'CONG_DAN',
    name: 'Nguyễn Văn An',
    idNumber: '026090123456',
    phone: '0912345678',
    address: 'Số 5 đường Hùng Vương, Thị trấn Lập Thạch, Huyện Lập Thạch, Tỉnh Vĩnh Phúc',
  },
  receivedAt: '2024-02-07T10:00:00+07:00',
  ...over,
});
