BeforeAll {
    Import-Module (Join-Path (Split-Path $PSScriptRoot -Parent) 'Support/VmmTestKit.psm1') -Force
    Import-VmmTestModule
    $day = (Get-Date).ToString('yyyyMMdd')

    function New-VmFiles {
        param([string] $Root)
        # vm01: a Hyper-V configuration file named by VMCPath, with its runtime state file and an unrelated disk.
        $vm01 = Join-Path $Root 'hv01/vm01/Virtual Machines'
        $null = New-Item -ItemType Directory -Path $vm01 -Force
        Set-Content -LiteralPath (Join-Path $vm01 'A1B2.vmcx') -Value 'config of vm01'
        Set-Content -LiteralPath (Join-Path $vm01 'A1B2.vmrs') -Value 'runtime state of vm01'
        Set-Content -LiteralPath (Join-Path $vm01 'other.vmcx') -Value 'another VM'
        Set-Content -LiteralPath (Join-Path $vm01 'A1B2.vhdx') -Value 'a disk, not configuration'
        # vm'02;]: no VMCPath, only a Location folder holding an old-style .xml configuration.
        $vm02 = Join-Path $Root "hv01/vm'02;]"
        $null = New-Item -ItemType Directory -Path (Join-Path $vm02 'sub') -Force
        Set-Content -LiteralPath (Join-Path $vm02 'sub/C3D4.xml') -Value 'config of vm02'
        Set-Content -LiteralPath (Join-Path $vm02 'disk.vhd') -Value 'disk'
        @{ VM01 = (Join-Path $vm01 'A1B2.vmcx'); VM02 = $vm02 }
    }
}

AfterAll { Remove-VmmTestModule }

Describe 'Backup-VmmVMConfiguration' {
    BeforeEach {
        Reset-VmmStub
        $source = Join-Path $TestDrive ([guid]::NewGuid().ToString('N'))
        $paths = New-VmFiles -Root $source
        $destination = Join-Path $TestDrive ('dest' + [guid]::NewGuid().ToString('N'))
        $script:vms = @(
            New-TestVM 'vm01' 'hv01' -Extra @{ VMCPath = $paths.VM01; Location = (Split-Path $paths.VM01) }
            New-TestVM "vm'02;]" 'hv01' -Extra @{ VMCPath = ''; Location = $paths.VM02 }
        )
        Set-VmmStubBehavior Get-SCVirtualMachine { $script:vms }
    }

    It 'copies each VM''s configuration files (and nothing else) to <Destination>\<yyyyMMdd>\<host>\<vm>' {
        $results = @(Backup-VmmVMConfiguration -Destination $destination -VMMServer vmm01)

        $results.Count | Should -Be 2
        foreach ($result in $results) { { Assert-VmmOutputSchema $result 'Backup-VmmVMConfiguration' } | Should -Not -Throw }
        $first = $results | Where-Object VMName -EQ 'vm01'
        $first.State | Should -Be 'Succeeded'
        $first.Files | Should -Be 2
        $first.Destination | Should -Be ([System.IO.Path]::Combine($destination, $day, 'hv01', 'vm01'))
        @(Get-ChildItem -LiteralPath $first.Destination | ForEach-Object Name | Sort-Object) | Should -Be @('A1B2.vmcx', 'A1B2.vmrs')
        Get-Content -Raw -LiteralPath (Join-Path $first.Destination 'A1B2.vmcx') | Should -Match 'config of vm01'

        $second = $results | Where-Object VMName -EQ "vm'02;]"
        $second.State | Should -Be 'Succeeded'
        $second.Files | Should -Be 1
        $second.Destination | Should -Be ([System.IO.Path]::Combine($destination, $day, 'hv01', "vm'02;]"))
        @(Get-ChildItem -LiteralPath $second.Destination | ForEach-Object Name) | Should -Be @('C3D4.xml')
        (Get-VmmStubCall -CommandName Get-SCVirtualMachine).BoundParameters['All'] | Should -BeTrue
    }

    It 'backs up only the VMs named, and reports a name VMM does not know' {
        $results = @(Backup-VmmVMConfiguration -Destination $destination -VMName 'vm01', 'ghost' -VMMServer vmm01 -ErrorVariable errors -ErrorAction SilentlyContinue)
        $results.VMName | Should -Be 'vm01'
        @($errors).Count | Should -Be 1
        "$($errors[0])" | Should -Match "no virtual machine named 'ghost'"
    }

    It 'reports a VM whose configuration cannot be read as Failed, writes an error, and still backs up the others' {
        Remove-Item -LiteralPath $script:vms[0].VMCPath
        $results = @(Backup-VmmVMConfiguration -Destination $destination -VMMServer vmm01 -ErrorVariable errors -ErrorAction SilentlyContinue)
        ($results | Where-Object VMName -EQ 'vm01').State | Should -Be 'Failed'
        ($results | Where-Object VMName -EQ 'vm01').Files | Should -Be 0
        ($results | Where-Object VMName -EQ 'vm01').Message | Should -Match 'does not exist or cannot be reached'
        ($results | Where-Object VMName -EQ "vm'02;]").State | Should -Be 'Succeeded'
        @($errors).Count | Should -Be 1
    }

    It 'skips a VM for which VMM reports no configuration path' {
        $script:vms = @(New-TestVM 'bare' 'hv01' -Extra @{ VMCPath = $null; Location = $null })
        $result = Backup-VmmVMConfiguration -Destination $destination -VMMServer vmm01
        $result.State | Should -Be 'Skipped'
        $result.Message | Should -Match 'VMCPath'
        { Assert-VmmOutputSchema $result 'Backup-VmmVMConfiguration' } | Should -Not -Throw
    }

    It 'refuses a root directory as destination before reading VMM' {
        { Backup-VmmVMConfiguration -Destination '/' -VMMServer vmm01 } | Should -Throw '*root directory*'
        Get-VmmStubCall | Should -BeNullOrEmpty
    }

    It 'fails clearly when VMM cannot list the virtual machines' {
        Set-VmmStubBehavior Get-SCVirtualMachine { throw 'Access denied (error 1605).' }
        { Backup-VmmVMConfiguration -Destination $destination -VMMServer vmm01 } | Should -Throw '*Cannot list the virtual machines*1605*'
    }

    It 'copies nothing with -WhatIf' {
        $results = Backup-VmmVMConfiguration -Destination $destination -VMMServer vmm01 -WhatIf
        $results | Should -BeNullOrEmpty
        Test-Path -LiteralPath $destination | Should -BeFalse
        Get-VmmMutatingCall | Should -BeNullOrEmpty
    }
}

Describe 'ConvertTo-VmmHostFilePath' {
    It 'reaches a host-local path through the host''s administrative share and leaves other paths alone' {
        InModuleScope VmmBackup {
            ConvertTo-VmmHostFilePath -ComputerName 'hv01.contoso.test' -Path 'd:\VMs\vm01\vm01.xml' | Should -Be '\\hv01.contoso.test\D$\VMs\vm01\vm01.xml'
            ConvertTo-VmmHostFilePath -ComputerName 'hv01' -Path '\\filer\vms\vm01.xml' | Should -Be '\\filer\vms\vm01.xml'
            ConvertTo-VmmHostFilePath -ComputerName '' -Path 'D:\VMs' | Should -Be 'D:\VMs'
        }
    }
}
