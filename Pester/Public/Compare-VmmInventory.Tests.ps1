BeforeAll {
    Import-Module (Join-Path (Split-Path $PSScriptRoot -Parent) 'Support/VmmTestKit.psm1') -Force
    Import-VmmTestModule

    function Write-Snapshot {
        param([string] $Path, [object[]] $Hosts, [object[]] $VMs)
        [ordered]@{
            schemaVersion = 1; takenAt = '2026-11-26T01:00:00Z'; vmmServer = 'vmm01'
            hosts = @($Hosts); clusters = @(); virtualMachines = @($VMs); libraryServers = @(); clouds = @(); templates = @(); runAsAccounts = @()
        } | ConvertTo-Json -Depth 5 | Set-Content -LiteralPath $Path -Encoding utf8
        $Path
    }
}

AfterAll { Remove-VmmTestModule }

Describe 'Compare-VmmInventory' {
    BeforeEach {
        Reset-VmmStub
        # At backup time: three hosts (one in the perimeter network) and their VMs.
        $backup = Write-Snapshot -Path (Join-Path $TestDrive 'backup.json') -Hosts @(
            @{ name = 'hv01'; state = 'Responding'; cluster = $null; perimeter = $false }
            @{ name = "hv'02;]"; state = 'Responding'; cluster = $null; perimeter = $false }
            @{ name = 'dmz01'; state = 'Responding'; cluster = $null; perimeter = $true }
        ) -VMs @(
            @{ name = 'vm01'; host = 'hv01'; status = 'Running' }
            @{ name = "vm'gone]"; host = 'hv01'; status = 'Running' }
            @{ name = 'vm02'; host = "hv'02;]"; status = 'Running' }
        )
        # The restored VMM: hv'02;] was removed after the backup (Not Responding, its VM Host Not Responding),
        # vm'gone] was deleted after the backup (Missing); the perimeter host shows Not Responding too.
        Set-VmmStubBehavior Get-SCVMHost {
            New-TestHost 'hv01'
            New-TestHost "hv'02;]" -State NotResponding
            New-TestHost 'dmz01' -State NotResponding -Perimeter $true
        }
        Set-VmmStubBehavior Get-SCVirtualMachine {
            New-TestVM 'vm01' 'hv01'
            New-TestVM "vm'gone]" 'hv01' -Status Missing
            New-TestVM 'vm02' "hv'02;]" -Status HostNotResponding
        }
        # What exists now: hv01 (with a new VM), dmz01, and a host added after the backup with its VM.
        $current = Write-Snapshot -Path (Join-Path $TestDrive 'current.json') -Hosts @(
            @{ name = 'hv01'; state = 'Responding'; cluster = $null; perimeter = $false }
            @{ name = 'dmz01'; state = 'Responding'; cluster = $null; perimeter = $true }
            @{ name = 'hv03'; state = 'Responding'; cluster = $null; perimeter = $false }
        ) -VMs @(
            @{ name = 'vm01'; host = 'hv01'; status = 'Running' }
            @{ name = 'vm-new'; host = 'hv01'; status = 'Running' }
            @{ name = 'vm03'; host = 'hv03'; status = 'Running' }
        )
    }

    It 'returns the host and VM removed after the backup (Remove) and those added after it (Add)' {
        $results = @(Compare-VmmInventory -Snapshot $backup -Current $current -VMMServer vmm01)
        foreach ($result in $results) { { Assert-VmmOutputSchema $result 'Compare-VmmInventory' } | Should -Not -Throw }
        @($results | ForEach-Object { '{0} {1} {2}' -f $_.Action, $_.ObjectType, $_.Name }) | Should -Be @(
            "Remove Host hv'02;]"
            "Remove VirtualMachine vm'gone]"
            'Add Host hv03'
            'Add VirtualMachine vm-new'
        )
        ($results | Where-Object Name -EQ "hv'02;]").State | Should -Be 'NotResponding'
        ($results | Where-Object Name -EQ "hv'02;]").Reason | Should -Match '1 virtual machine\(s\) show Host Not Responding'
        ($results | Where-Object Name -EQ "vm'gone]").VMHost | Should -Be 'hv01'
        ($results | Where-Object Name -EQ "vm'gone]").State | Should -Be 'Missing'
        ($results | Where-Object Name -EQ 'vm-new').VMHost | Should -Be 'hv01'
        (Get-VmmStubCall -CommandName Get-SCVirtualMachine).BoundParameters['All'] | Should -BeTrue
    }

    It 'without -Current returns only Remove actions, leaves Not Responding perimeter hosts alone, and says why' {
        $results = @(Compare-VmmInventory -Snapshot $backup -VMMServer vmm01 -WarningVariable warnings -WarningAction SilentlyContinue)
        @($results.Action | Select-Object -Unique) | Should -Be @('Remove')
        $results.Name | Should -Not -Contain 'dmz01'
        "$warnings" | Should -Match 'No -Current snapshot'
        "$warnings" | Should -Match 'Reset-VmmPerimeterHostPassword'
    }

    It 'warns when the restored VMM does not match the snapshot' {
        Set-VmmStubBehavior Get-SCVMHost { New-TestHost 'hv01'; New-TestHost 'stranger' }
        $null = Compare-VmmInventory -Snapshot $backup -Current $current -VMMServer vmm01 -WarningVariable warnings -WarningAction SilentlyContinue
        "$warnings" | Should -Match 'stranger'
    }

    It 'finds nothing to do when the restored VMM matches what exists' {
        Set-VmmStubBehavior Get-SCVMHost { New-TestHost 'hv01'; New-TestHost 'dmz01' -Perimeter $true; New-TestHost 'hv03' }
        Set-VmmStubBehavior Get-SCVirtualMachine { New-TestVM 'vm01' 'hv01'; New-TestVM 'vm-new' 'hv01'; New-TestVM 'vm03' 'hv03' }
        Compare-VmmInventory -Snapshot $backup -Current $current -VMMServer vmm01 -WarningAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'fails clearly on a missing or damaged snapshot, before asking VMM' {
        { Compare-VmmInventory -Snapshot (Join-Path $TestDrive 'nope.json') -VMMServer vmm01 } | Should -Throw '*does not exist*'
        Set-Content -LiteralPath (Join-Path $TestDrive 'bad.json') -Value '{"schemaVersion": 1, "hosts": []}'
        { Compare-VmmInventory -Snapshot (Join-Path $TestDrive 'bad.json') -VMMServer vmm01 } | Should -Throw '*lacks the*section*'
        Get-VmmStubCall | Should -BeNullOrEmpty
    }

    It 'fails clearly when VMM cannot be read' {
        Set-VmmStubBehavior Get-SCVMHost { throw 'The VMM service is stopping.' }
        { Compare-VmmInventory -Snapshot $backup -VMMServer vmm01 -WarningAction SilentlyContinue } | Should -Throw '*Cannot read the hosts and virtual machines*stopping*'
    }
}
